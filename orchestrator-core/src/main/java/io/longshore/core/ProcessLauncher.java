package io.longshore.core;

import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spawns a spec's command: the JVM's environment plus the spec's, then {@code PORT} and
 * {@code HOST} of the endpoint; stdout and stderr appended to the log file; stdin closed. With a
 * {@link ProcessWatchdog}, the command runs under the watchdog, whose stdin pipe stays open for as
 * long as the replica should live. Immutable; thread-safe.
 */
final class ProcessLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRuntime.class);
    private final Path workingDirectory;
    private final ProcessWatchdog watchdog;

    /**
     * @param workingDirectory where commands run, or {@code null} for the JVM's directory
     * @param watchdog         the watchdog to run each command under, or {@code null} for none
     */
    ProcessLauncher(Path workingDirectory, ProcessWatchdog watchdog) {
        this.workingDirectory = workingDirectory;
        this.watchdog = watchdog;
    }

    /**
     * A started replica.
     *
     * @param pid     the replica's process id
     * @param handle  the replica's process, empty if it is already gone
     * @param process the JVM's child: the replica itself, or its watchdog
     */
    record Launched(long pid, Optional<ProcessHandle> handle, Process process) {
    }

    /** Starts the process; on failure deletes {@code log} and throws a message naming the command. */
    Launched launch(ContainerSpec spec, Endpoint endpoint, Path log) {
        ProcessBuilder builder = new ProcessBuilder(spec.command());
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        builder.environment().putAll(spec.env());
        builder.environment().put("PORT", Integer.toString(endpoint.port()));
        builder.environment().put("HOST", endpoint.host());
        try {
            return watchdog == null ? plain(builder, log) : watched(builder, spec, log);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(log);
            throw new ContainerRuntimeException("cannot start process for service '" + spec.service()
                    + "' on " + endpoint + " with command " + spec.command() + ": " + e.getMessage(), e);
        }
    }

    private static Launched plain(ProcessBuilder builder, Path log) throws IOException {
        Process process = builder.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        closeStdin(process);
        return new Launched(process.pid(), Optional.of(process.toHandle()), process);
    }

    private Launched watched(ProcessBuilder builder, ContainerSpec spec, Path log) throws IOException {
        List<String> command = spec.command();
        if (Executables.find(command.get(0), builder.environment().get("PATH"), workingDirectory).isEmpty()) {
            throw new IOException("no executable '" + command.get(0) + "' (looked up along the PATH)");
        }
        Process process = builder.command(watchdog.wrap(command))
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            long pid = ProcessWatchdog.replicaPid(process, spec.service());
            return new Launched(pid, ProcessHandle.of(pid), process);
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private static void closeStdin(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            LOG.debug("cannot close the stdin of pid {}", process.pid(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("cannot delete {}", file, e);
        }
    }
}
