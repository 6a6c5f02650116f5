package io.longshore.core;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;

/**
 * Stops a process together with everything it started: SIGTERM to the whole tree, a wait of at
 * most the grace period, then SIGKILL to whatever is left (children spawned meanwhile included).
 *
 * <p>A killed descendant whose parent died first is re-parented to PID 1; where PID 1 does not
 * reap (some containers), it lingers as a zombie, which {@link ProcessHandle#isAlive()} still
 * reports as alive. {@link #isRunning(ProcessHandle)} counts zombies as gone: they hold no
 * resources but a process-table slot. Stateless; thread-safe.
 */
final class ProcessTree {
    /** How long to wait for SIGKILL to take effect before giving up. */
    static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 10;

    private ProcessTree() {
    }

    /**
     * Terminates every root and its descendants; returns once all are gone or the waits ran out.
     * Returns whether all are gone (false: something survived SIGKILL for {@link #KILL_WAIT}).
     */
    static boolean terminate(List<ProcessHandle> roots, Duration grace) {
        Set<ProcessHandle> tree = withDescendants(roots);
        tree.forEach(ProcessHandle::destroy);
        if (awaitGone(tree, grace)) {
            return true;
        }
        tree.addAll(withDescendants(roots));
        tree.forEach(ProcessHandle::destroyForcibly);
        return awaitGone(tree, KILL_WAIT);
    }

    /**
     * Whether {@code handle} is alive and not a zombie. The {@code /proc} state is read
     * <em>before</em> {@link ProcessHandle#isAlive()}: a zombie child is reaped by the JDK at any
     * moment, and then its {@code /proc} entry is gone. Asked the other way round, a zombie reaped
     * between the two reads looks alive (alive as a zombie, then no state left to call it one), so
     * a process already seen gone would read as running again — under load that happened to a few
     * percent of exits.
     */
    static boolean isRunning(ProcessHandle handle) {
        return isRunning(handle.pid(), ProcessTree::isZombie, handle::isAlive);
    }

    /** {@link #isRunning(ProcessHandle)} with the two reads passed in, in the order that matters. */
    static boolean isRunning(long pid, LongPredicate zombie, BooleanSupplier alive) {
        return !zombie.test(pid) && alive.getAsBoolean();
    }

    /** The roots first, then every descendant of each root alive now. */
    static Set<ProcessHandle> withDescendants(List<ProcessHandle> roots) {
        Set<ProcessHandle> all = new LinkedHashSet<>(roots);
        for (ProcessHandle root : roots) {
            root.descendants().forEach(all::add);
        }
        return all;
    }

    private static boolean awaitGone(Set<ProcessHandle> handles, Duration max) {
        long polls = Math.max(1, max.toMillis() / POLL_MILLIS);
        for (long i = 0; i < polls; i++) {
            if (noneRunning(handles)) {
                return true;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return noneRunning(handles);
    }

    private static boolean noneRunning(Set<ProcessHandle> handles) {
        return handles.stream().noneMatch(ProcessTree::isRunning);
    }

    /** Whether {@code /proc/<pid>/stat} says zombie (or dead); false where there is no procfs. */
    static boolean isZombie(long pid) {
        return ProcStat.read(pid).map(ProcStat::exited).orElse(false);
    }

    /**
     * SIGKILLs every running member of process group {@code group}, found by reading
     * {@code /proc} (Linux; elsewhere nothing happens). Refuses this JVM's own group. Returns how
     * many were signalled.
     */
    static int killGroup(long group) {
        long own = ProcStat.read(ProcessHandle.current().pid()).map(ProcStat::processGroup).orElse(-1L);
        if (group <= 1 || group == own) {
            return 0;
        }
        int killed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path entry : entries) {
                Optional<ProcStat> stat = ProcStat.read(Long.parseLong(entry.getFileName().toString()));
                if (stat.isPresent() && stat.get().processGroup() == group && !stat.get().exited()) {
                    ProcessHandle.of(stat.get().pid()).ifPresent(ProcessHandle::destroyForcibly);
                    killed++;
                }
            }
        } catch (IOException | RuntimeException e) {
            return killed;
        }
        return killed;
    }
}
