package io.longshore.core.internal;

import io.longshore.api.Backend;
import io.longshore.api.Endpoint;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One replica on the data path: its identity and its live load figures (requests in flight,
 * latency EWMA, requests routed, consecutive failures). Every counter is atomic, so request
 * threads update it without locks; {@link #asChoice()} returns a cached {@code Optional} so
 * strategies allocate nothing. Thread-safe.
 */
public final class ReplicaBackend implements Backend {
    /** Weight of a new latency sample in the EWMA, as 1/n. */
    private static final int EWMA_DIVISOR = 5;

    private final String id;
    private final Endpoint endpoint;
    private final Optional<Backend> choice;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong latencyEwma = new AtomicLong();
    private final LongAdder requests = new LongAdder();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile boolean leasable;
    /** Where this backend sits in the last published snapshot: a hint, always verified. */
    private int indexHint = -1;

    public ReplicaBackend(String id, Endpoint endpoint) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("id must not be blank");
        }
        this.id = id;
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.choice = Optional.of(this);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public long latencyEwmaNanos() {
        return latencyEwma.get();
    }

    @Override
    public Optional<Backend> asChoice() {
        return choice;
    }

    /** Requests routed to this backend since it was created. */
    public long requestCount() {
        return requests.sum();
    }

    /** Failures (5xx or no answer) in a row since the last success or reset. */
    public int consecutiveFailures() {
        return consecutiveFailures.get();
    }

    /** Forgets the failure streak, after an ejection or a readmission. */
    public void resetFailures() {
        consecutiveFailures.set(0);
    }

    /** Whether the current router snapshot may hand out leases on it. */
    boolean isLeasable() {
        return leasable;
    }

    int indexHint() {
        return indexHint;
    }

    void indexHint(int index) {
        this.indexHint = index;
    }

    void setLeasable(boolean leasable) {
        this.leasable = leasable;
    }

    void acquire() {
        inFlight.incrementAndGet();
    }

    void release() {
        inFlight.decrementAndGet();
    }

    void countRequest() {
        requests.increment();
    }

    void recordLatency(long nanos) {
        latencyEwma.accumulateAndGet(Math.max(0, nanos), ReplicaBackend::ewma);
    }

    private static long ewma(long previous, long sample) {
        return previous == 0 ? sample : previous + (sample - previous) / EWMA_DIVISOR;
    }

    /** Records a success: the failure streak ends. */
    void recordSuccess() {
        if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
        }
    }

    /** Records a failure; returns the length of the failure streak including it. */
    int recordFailure() {
        return consecutiveFailures.incrementAndGet();
    }

    @Override
    public String toString() {
        return id + "@" + endpoint;
    }
}
