package io.longshore.api;

import java.util.Objects;

/**
 * The answer of one health probe. Immutable.
 *
 * @param healthy whether the replica passed
 * @param reason  why, for logs and events ({@code "200"}, {@code "connection refused"}, …)
 */
public record ProbeResult(boolean healthy, String reason) {

    private static final ProbeResult HEALTHY = new ProbeResult(true, "ok");

    public ProbeResult {
        Objects.requireNonNull(reason, "reason");
    }

    public static ProbeResult pass() {
        return HEALTHY;
    }

    public static ProbeResult pass(String reason) {
        return new ProbeResult(true, reason);
    }

    public static ProbeResult fail(String reason) {
        return new ProbeResult(false, reason);
    }
}
