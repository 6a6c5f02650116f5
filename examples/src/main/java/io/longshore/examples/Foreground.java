package io.longshore.examples;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * How the runnable mains run their app in the foreground: start it, block until the JVM is
 * stopped (Ctrl-C or SIGTERM), and close it from a shutdown hook. The hook waits up to
 * {@link #START_WAIT} for a start in progress, so a Ctrl-C during start-up still stops what was
 * started. Stateless; each call registers its own hook.
 */
public final class Foreground {
    /** Exit status when the app could not start. */
    public static final int START_FAILED = 1;
    /** How long the shutdown hook waits for a start in progress. */
    public static final Duration START_WAIT = Duration.ofSeconds(60);

    private Foreground() {
    }

    /**
     * Starts the app with {@code start}, hands it to {@code ready}, then blocks until the shutdown
     * hook (a thread named {@code hookName}) has closed it. A start that throws is logged to
     * {@code log} as {@code startFailure} (an SLF4J pattern with one {@code {}} for the message)
     * and the JVM exits with {@link #START_FAILED}. Messages go to {@code log}, the main's own.
     */
    public static <A extends AutoCloseable> void run(Supplier<A> start, Consumer<A> ready, String hookName,
                                                     Logger log, String startFailure) throws InterruptedException {
        CompletableFuture<A> app = new CompletableFuture<>();
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeOnExit(app, closed, log), hookName));
        A started;
        try {
            started = start.get();
            app.complete(started);
        } catch (RuntimeException e) {
            app.completeExceptionally(e);
            log.error(startFailure, e.getMessage());
            log.debug("start failure", e);
            System.exit(START_FAILED);
            return;
        }
        ready.accept(started);
        closed.await();
    }

    private static void closeOnExit(CompletableFuture<? extends AutoCloseable> app, CountDownLatch closed, Logger log) {
        try {
            AutoCloseable started = app.get(START_WAIT.toSeconds(), TimeUnit.SECONDS);
            log.info("shutting down: closing the gateway and stopping every replica");
            started.close();
        } catch (ExecutionException e) {
            // it never started: nothing to close
        } catch (TimeoutException e) {
            log.warn("still starting after {}; exiting without closing it", START_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("closing failed", e);
        } finally {
            closed.countDown();
        }
    }
}
