package io.longshore.testkit;

import io.longshore.api.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Waits for a condition about a real runtime (a process, a container) to hold, polling it
 * every {@link #POLL_INTERVAL}. What awaitility's {@code await().atMost(t).until(c)} does,
 * kept inside the kit so that the kit's module needs no dependency without a module name.
 * An exception thrown by the condition fails the wait at once. Stateless; thread-safe.
 */
final class Eventually {
    /** How often the condition is evaluated. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private final Clock clock;

    Eventually(Clock clock) {
        this.clock = clock;
    }

    /** Returns once {@code condition} holds; throws {@link AssertionError} after {@code atMost}. */
    void until(Duration atMost, Callable<Boolean> condition) {
        long deadline = clock.nanoTime() + atMost.toNanos();
        while (!holds(condition)) {
            if (clock.nanoTime() - deadline >= 0) {
                throw new AssertionError("condition did not hold within " + atMost);
            }
            pause();
        }
    }

    private static boolean holds(Callable<Boolean> condition) {
        try {
            return Boolean.TRUE.equals(condition.call());
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("condition threw " + e, e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
