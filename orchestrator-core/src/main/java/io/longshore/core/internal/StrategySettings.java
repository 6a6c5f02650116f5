package io.longshore.core.internal;

import io.longshore.api.HashKey;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.api.internal.UserCode;
import java.time.Duration;
import java.util.Optional;

/**
 * What a router reads of its strategy once, when it is built: the decay of its backends' latency
 * average and the sticky cookie a gateway sets. Each read is guarded: a strategy that throws or
 * answers nonsense is reported and gets the default (no sticky cookie). Immutable.
 *
 * @param latencyDecayNanos the strategy's latency decay in nanoseconds
 * @param stickyCookie      the name of its sticky cookie, a token, if it has one
 */
record StrategySettings(double latencyDecayNanos, Optional<String> stickyCookie) {

    /** Reads {@code strategy}'s settings, reporting what it got wrong to {@code failures}. */
    static StrategySettings of(LoadBalancingStrategy strategy, FailureReporter failures) {
        return new StrategySettings(latencyDecayOf(strategy, failures), stickyCookieOf(strategy, failures));
    }

    /** The strategy's latency decay in nanoseconds; the default when it throws or answers nonsense. */
    private static double latencyDecayOf(LoadBalancingStrategy strategy, FailureReporter failures) {
        try {
            Duration decay = strategy.latencyDecay();
            if (decay != null && !decay.isNegative() && !decay.isZero()) {
                return decay.toNanos();
            }
            failures.report("strategy " + UserCode.name(strategy), "latencyDecay() answered " + decay
                    + "; using the default");
        } catch (RuntimeException | Error e) {
            UserCode.rethrowIfFatal(e);
            failures.report("strategy " + UserCode.name(strategy), e);
        }
        return LoadBalancingStrategy.DEFAULT_LATENCY_DECAY.toNanos();
    }

    /**
     * The strategy's sticky cookie, if it names one that is a token: the name is written into a
     * {@code Set-Cookie} line, so one with a space, CR or LF in it is reported and not set.
     */
    private static Optional<String> stickyCookieOf(LoadBalancingStrategy strategy, FailureReporter failures) {
        try {
            Optional<String> cookie = strategy.stickyCookie();
            if (cookie == null || cookie.isEmpty()) {
                return Optional.empty();
            }
            HashKey.cookie(cookie.get()); // checks that the name is a token
            return cookie;
        } catch (RuntimeException | Error e) {
            UserCode.rethrowIfFatal(e);
            failures.report("strategy " + UserCode.name(strategy), "stickyCookie(): " + e.getMessage()
                    + "; no sticky cookie is set");
            return Optional.empty();
        }
    }
}
