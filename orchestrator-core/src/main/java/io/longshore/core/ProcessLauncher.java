package io.longshore.core;

import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spawns a spec's command: the JVM's environment plus the spec's, then {@code PORT} and
 * {@code HOST} of the endpoint; stdout and stderr appended to the log file; stdin closed.
 * Immutable; thread-safe.
 */
final class ProcessLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRuntime.class);
    private final Path workingDirectory;

    /** @param workingDirectory where commands run, or {@code null} for the JVM's directory */
    ProcessLauncher(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
    }

    /** Starts the process; on failure deletes {@code log} and throws a message naming the command. */
    Process launch(ContainerSpec spec, Endpoint endpoint, Path log) {
        ProcessBuilder builder = new ProcessBuilder(spec.command())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        builder.environment().putAll(spec.env());
        builder.environment().put("PORT", Integer.toString(endpoint.port()));
        builder.environment().put("HOST", endpoint.host());
        Process process;
        try {
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            deleteQuietly(log);
            throw new ContainerRuntimeException("cannot start process for service '" + spec.service()
                    + "' on " + endpoint + " with command " + spec.command() + ": " + e.getMessage(), e);
        }
        closeStdin(process);
        return process;
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
