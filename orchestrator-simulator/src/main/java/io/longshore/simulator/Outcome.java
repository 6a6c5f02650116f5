package io.longshore.simulator;

/** How a simulated request ended. */
public enum Outcome {
    /** A replica answered with a status below 500. */
    SERVED(false),
    /** A replica answered with a 5xx. */
    REPLICA_ERROR(true),
    /** No replica was routable and it could not wait: the gateway's 503. */
    NO_REPLICA(true),
    /** It waited for a replica in the line past the line's time: the gateway's 503. */
    WAIT_TIMEOUT(true),
    /** The line was full when it came: the gateway's 503. */
    LINE_FULL(true),
    /** The replica did not answer within the response timeout: the gateway's 504. */
    TIMEOUT(true),
    /** The replica went away (stopped) while holding it: the gateway's 502. */
    RESET(true);

    private final boolean failed;

    Outcome(boolean failed) {
        this.failed = failed;
    }

    /** Whether the client got an error. */
    public boolean failed() {
        return failed;
    }
}
