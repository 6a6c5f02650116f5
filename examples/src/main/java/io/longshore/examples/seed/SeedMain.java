package io.longshore.examples.seed;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed scenario, runnable: {@code java -jar examples/target/longshore-seed.jar [flags]}.
 * Runs the acts service as replicas behind the gateway until the JVM is stopped (Ctrl-C or
 * SIGTERM), then closes the gateway and the orchestrator, which stops every replica. See
 * {@link SeedOptions#usage()} for the flags; a bad flag exits with status 2.
 */
public final class SeedMain {
    /** Exit status of a bad command line. */
    static final int USAGE_ERROR = 2;
    /** Exit status when the scenario could not start. */
    static final int START_FAILED = 1;
    private static final Logger LOG = LoggerFactory.getLogger(SeedMain.class);

    private SeedMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        SeedOptions options;
        try {
            options = SeedOptions.parse(args);
        } catch (UsageException e) {
            System.exit(usageError(e, System.err));
            return;
        }
        if (options.help()) {
            System.out.print(SeedOptions.usage());
            return;
        }
        SeedApp app;
        try {
            app = SeedApp.start(options);
        } catch (RuntimeException e) {
            LOG.error("the seed scenario could not start: {}", e.getMessage(), e);
            System.exit(START_FAILED);
            return;
        }
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutting down: closing the gateway and stopping every replica");
            app.close();
            closed.countDown();
        }, "longshore-seed-shutdown"));
        LOG.info("ready: send requests to http://127.0.0.1:{}/api/v1/categories,"
                + " admin API on http://127.0.0.1:{}/replicas; Ctrl-C stops", options.port(), options.adminPort());
        closed.await();
    }

    /** Prints the error and the usage; returns the exit status. */
    static int usageError(UsageException e, PrintStream err) {
        err.println("error: " + e.getMessage());
        err.println();
        err.print(SeedOptions.usage());
        return USAGE_ERROR;
    }
}
