package io.longshore.examples;

import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
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
            log.error(startFailure, describe(e));
            log.debug("start failure", e);
            System.exit(START_FAILED);
            return;
        }
        ready.accept(started);
        closed.await();
    }

    /**
     * {@code failure}'s message followed by its causes' (each once), so that the one line a failed
     * start prints names what failed underneath: a missing file, a port in use.
     */
    static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder(message(failure));
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        seen.add(failure);
        for (Throwable cause = failure.getCause(); cause != null && seen.add(cause); cause = cause.getCause()) {
            String raw = cause.getMessage();
            boolean said = raw != null && text.indexOf(raw) >= 0;
            boolean wrapperOnly = raw != null && cause.getCause() != null && raw.equals(cause.getCause().toString());
            if (!said && !wrapperOnly) {
                text.append(": ").append(message(cause));
            }
        }
        return text.toString();
    }

    /** The message, with the type's name where the message alone would not say what happened (a bare path). */
    private static String message(Throwable failure) {
        String message = failure.getMessage();
        if (message == null || failure instanceof java.io.IOException) {
            return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        }
        return message;
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
