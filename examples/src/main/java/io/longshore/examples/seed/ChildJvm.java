package io.longshore.examples.seed;

import java.io.IOException;
import java.util.List;

/**
 * The parent's side of the tuned child JVM ({@link TunedJvm}): starts it with this process's
 * standard output and error, and its standard input a pipe only this process writes to, so the
 * child sees that pipe close when this process is gone however it died ({@link ParentWatch}).
 * A SIGTERM or Ctrl-C to this process is passed on to the child as a SIGTERM, and this process
 * waits for the child's own shutdown (closing the gateway, stopping the replicas) before it
 * exits; it exits with the child's status. To an operator the two are one process: its pid,
 * its signals, its output and its exit status. Stateless.
 */
final class ChildJvm {
    private ChildJvm() {
    }

    /** Starts {@code command}, waits until it exits and returns its exit status. */
    static int run(List<String> command) throws IOException, InterruptedException {
        Process child = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(child), "longshore-child-stop"));
        return child.waitFor();
    }

    /**
     * SIGTERM to the child, then wait for its shutdown hooks to finish. Through its handle:
     * {@link Process#destroy()} would also close the child's standard input, which the child
     * takes for a gone parent and halts on, before its hooks have run.
     */
    private static void stop(Process child) {
        child.toHandle().destroy();
        try {
            child.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
