package io.longshore.core;

/**
 * What becomes of a {@link ProcessRuntime}'s replicas when the JVM that started them dies
 * without stopping them (SIGKILL, an OOM kill, a crash): see {@link ProcessRuntimeBuilder#orphans}.
 */
public enum OrphanPolicy {
    /**
     * The default: replicas keep running and serving. Each is recorded in the runtime's state
     * directory, and a later runtime on the same directory adopts the live ones through
     * {@code list} (same ids, its exits reported, stoppable), as the Docker runtime does with
     * containers, so a restarted orchestrator takes them over without a port conflict.
     */
    ADOPT,
    /**
     * Replicas end within a second of their JVM's death, however it dies: each runs under a small
     * shell watchdog that holds a pipe from this JVM and kills the replica's process group when
     * the pipe closes. Needs {@code sh}, {@code sleep}, {@code setsid} and {@code setpriv}
     * (util-linux 2.33 or later) on the {@code PATH}; Linux only.
     */
    DIE_WITH_PARENT
}
