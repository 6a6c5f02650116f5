package io.longshore.core;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Restart backoff per port, as Kubernetes' CrashLoopBackOff: each failure (a failed start,
 * a crash, a replacement after failed probes) lengthens the streak of its port; the n-th
 * failure of a streak waits {@code initial × 2^(n-1)}, capped at {@code max}; its owner
 * {@link #forget forgets} the streak when the failed replica had been ready long enough. Also
 * counts restarts per port for the admin API. Owned by the control loop; not thread-safe.
 */
final class RestartBackoff {
    private final Duration initial;
    private final Duration max;
    private final Duration resetAfter;
    private final Map<Integer, Integer> streaks = new HashMap<>();
    private final Map<Integer, Integer> restarts = new HashMap<>();

    /**
     * @param resetAfter how long a failed replica must have been ready for its port's streak to be
     *                   forgotten (see {@link #replacementAfterFailure})
     */
    RestartBackoff(Duration initial, Duration max, Duration resetAfter) {
        this.initial = initial;
        this.max = max;
        this.resetAfter = resetAfter;
    }

    /**
     * Records a failure of the replica on {@code port} that had been ready for {@code readyForNanos}
     * (its streak forgotten first if that was at least {@code resetAfter}); returns how long its
     * replacement waits.
     */
    Duration replacementAfterFailure(int port, long readyForNanos) {
        if (readyForNanos >= resetAfter.toNanos()) {
            forget(port);
        }
        return replacementDelay(recordFailure(port));
    }

    /** Records a failure on {@code port}; returns the streak length including it. */
    int recordFailure(int port) {
        return streaks.merge(port, 1, Integer::sum);
    }

    /** The wait after the {@code n}-th failure of a streak: initial × 2^(n-1), capped at max. */
    Duration delayAfter(int n) {
        if (n <= 0) {
            return Duration.ZERO;
        }
        int doublings = Math.min(n - 1, 62);
        long nanos = initial.toNanos();
        for (int i = 0; i < doublings && nanos < max.toNanos(); i++) {
            nanos = nanos > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : nanos * 2;
        }
        return Duration.ofNanos(Math.min(nanos, max.toNanos()));
    }

    /**
     * The wait before replacing a replica that crashed or failed its probes, as the
     * {@code n}-th failure: the first failure of a streak is replaced at once, later ones back off.
     */
    Duration replacementDelay(int n) {
        return delayAfter(n - 1);
    }

    /** Forgets the streak of {@code port}: its replica had been healthy for long enough. */
    void forget(int port) {
        streaks.remove(port);
    }

    int streak(int port) {
        return streaks.getOrDefault(port, 0);
    }

    /** Counts one more restart on {@code port}; returns the total. */
    int countRestart(int port) {
        return restarts.merge(port, 1, Integer::sum);
    }

    int restarts(int port) {
        return restarts.getOrDefault(port, 0);
    }
}
