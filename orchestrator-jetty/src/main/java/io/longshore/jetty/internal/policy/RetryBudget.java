package io.longshore.jetty.internal.policy;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket bounding retries to a share of requests: every request deposits
 * {@code ratio} tokens, every retry withdraws one, and the bucket holds at most
 * {@link #CAPACITY} tokens (it starts full unless the ratio is 0). Lock-free; thread-safe.
 */
public final class RetryBudget {
    /**
     * Tokens the bucket holds at most, so a burst of failures after a quiet spell is bounded. As
     * large as Finagle's and Linkerd's default reserve (10 retries a second over a 10 s window):
     * every request stuck on one hung replica times out at about the same moment, and a small
     * bucket would turn all but the first few of those retries into 504s.
     */
    public static final int CAPACITY = 100;
    private static final long UNIT = 1_000;

    private final AtomicLong milliTokens;
    private final long perRequest;

    public RetryBudget(double ratio) {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("ratio must be in 0..1, was " + ratio);
        }
        this.perRequest = Math.round(ratio * UNIT);
        this.milliTokens = new AtomicLong(perRequest == 0 ? 0 : CAPACITY * UNIT);
    }

    /** Called once per incoming request. */
    public void deposit() {
        if (perRequest != 0 && milliTokens.get() < CAPACITY * UNIT) {
            milliTokens.addAndGet(perRequest);
        }
    }

    /** Takes one retry's worth of tokens if there is one. */
    public boolean tryWithdraw() {
        while (true) {
            long tokens = milliTokens.get();
            if (tokens < UNIT) {
                return false;
            }
            if (milliTokens.compareAndSet(tokens, tokens - UNIT)) {
                return true;
            }
        }
    }

    /** Whole tokens available now. */
    public long available() {
        return milliTokens.get() / UNIT;
    }
}
