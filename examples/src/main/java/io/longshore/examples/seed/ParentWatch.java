package io.longshore.examples.seed;

import java.io.IOException;
import java.io.InputStream;

/**
 * The child's side of the tuned child JVM ({@link ChildJvm}): a daemon thread reads the pipe
 * the parent holds open as this JVM's standard input and runs a callback when it closes, which
 * happens when the parent is gone, also after a SIGKILL that gave it no chance to stop the
 * child. The seed main's callback halts this JVM as that SIGKILL would have (no shutdown hook:
 * the replicas stay up for the next seed main to adopt), so no gateway outlives the process
 * its operator killed.
 */
final class ParentWatch {
    /** The exit status the seed main halts with when its parent is gone: 128 + SIGKILL. */
    static final int PARENT_GONE = 137;

    private ParentWatch() {
    }

    /** Starts the watching thread over {@code parentPipe}; {@code parentGone} runs at its end. */
    static Thread start(InputStream parentPipe, Runnable parentGone) {
        Thread watch = new Thread(() -> watch(parentPipe, parentGone), "longshore-parent-watch");
        watch.setDaemon(true);
        watch.start();
        return watch;
    }

    private static void watch(InputStream parentPipe, Runnable parentGone) {
        byte[] ignored = new byte[64];
        try {
            while (parentPipe.read(ignored) >= 0) {
                // the parent never writes; anything it did is ignored
            }
        } catch (IOException e) {
            // a broken pipe is a gone parent too
        }
        parentGone.run();
    }
}
