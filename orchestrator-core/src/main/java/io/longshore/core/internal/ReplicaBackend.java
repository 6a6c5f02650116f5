package io.longshore.core.internal;

import io.longshore.api.Backend;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One replica on the data path: its identity, its weight, and its live load figures (requests
 * in flight, latency EWMA and peak EWMA, requests routed, consecutive failures). Request threads
 * update them without locks and with as few atomic instructions as can be: requests routed and
 * requests in flight share one counter, so leasing and releasing are one atomic add each; the
 * averages are written with plain stores (racing samples may overwrite each other, which a
 * moving average tolerates). The weight is set by its owner's single writer and read by
 * strategies when a router publishes. Thread-safe.
 */
public final class ReplicaBackend implements Backend {
    /** Weight of a new latency sample in the EWMA, as 1/n. */
    private static final int EWMA_DIVISOR = 5;

    private final String id;
    private final Endpoint endpoint;
    /** The most requests in flight at once (its container concurrency), 0 for no limit. */
    private final int limit;
    /** Requests in flight in the low bits, requests routed above them. */
    private static final int IN_FLIGHT_BITS = 24;
    private static final long IN_FLIGHT_MASK = (1L << IN_FLIGHT_BITS) - 1;
    private static final long ONE_REQUEST = 1L << IN_FLIGHT_BITS;
    private static final VarHandle EWMA;
    private static final VarHandle PEAK_EWMA;
    private static final VarHandle PEAK_EWMA_AT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            EWMA = lookup.findVarHandle(ReplicaBackend.class, "latencyEwma", long.class);
            PEAK_EWMA = lookup.findVarHandle(ReplicaBackend.class, "peakEwma", double.class);
            PEAK_EWMA_AT = lookup.findVarHandle(ReplicaBackend.class, "peakEwmaAt", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final AtomicLong load = new AtomicLong();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    @SuppressWarnings("unused") // through EWMA
    private volatile long latencyEwma;
    @SuppressWarnings("unused") // through PEAK_EWMA
    private double peakEwma = Double.NaN;
    @SuppressWarnings("unused") // through PEAK_EWMA_AT
    private long peakEwmaAt;
    private volatile boolean leasable;
    private volatile int weight = ContainerSpec.DEFAULT_WEIGHT;
    /** The share of its full weight the candidate filter gave it at the last publication. */
    private volatile double weightShare = 1.0;
    /** Where this backend sits in the last published snapshot: a hint, always verified. */
    private int indexHint = -1;

    /** A backend of weight {@value ContainerSpec#DEFAULT_WEIGHT}. */
    public ReplicaBackend(String id, Endpoint endpoint) {
        this(id, endpoint, ContainerSpec.DEFAULT_WEIGHT);
    }

    /** A backend without a concurrency limit; @param weight its {@link #weight()}, in 1..{@value ContainerSpec#MAX_WEIGHT} */
    public ReplicaBackend(String id, Endpoint endpoint, int weight) {
        this(id, endpoint, weight, 0);
    }

    /**
     * @param weight its {@link #weight()}, in 1..{@value ContainerSpec#MAX_WEIGHT}
     * @param limit the most requests in flight at once (its container concurrency), 0 for no limit
     */
    public ReplicaBackend(String id, Endpoint endpoint, int weight, int limit) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("id must not be blank");
        }
        if (limit < 0 || limit > IN_FLIGHT_MASK) {
            throw new IllegalArgumentException("limit must be in 0.." + IN_FLIGHT_MASK + ", was " + limit);
        }
        this.id = id;
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.limit = limit;
        weight(weight);
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
        return (int) (load.get() & IN_FLIGHT_MASK);
    }

    @Override
    public long latencyEwmaNanos() {
        return (long) EWMA.getAcquire(this);
    }

    /** The most requests in flight at once, 0 for no limit. */
    public int limit() {
        return limit;
    }

    /** Requests it may take now before its limit: {@link Integer#MAX_VALUE} without one. */
    int room() {
        return limit == 0 ? Integer.MAX_VALUE : Math.max(0, limit - inFlight());
    }

    /** Requests routed to this backend since it was created. */
    public long requestCount() {
        return load.get() >>> IN_FLIGHT_BITS;
    }

    /** Failures (5xx or no answer) in a row since the last success or reset. */
    public int consecutiveFailures() {
        return consecutiveFailures.get();
    }

    /** Forgets the failure streak, after an ejection or a readmission. */
    public void resetFailures() {
        consecutiveFailures.set(0);
    }

    @Override
    public int weight() {
        return weight;
    }

    /**
     * Sets {@link #weight()}, in 1..{@value ContainerSpec#MAX_WEIGHT}; strategies see it at the
     * next publication of its router.
     */
    public void weight(int weight) {
        this.weight = ContainerSpec.requireWeight(weight, "weight");
    }

    /** Its weight times the share the candidate filter gave it at the last publication. */
    @Override
    public double effectiveWeight() {
        return weight * weightShare;
    }

    /**
     * The share of its full weight, in (0, 1], that the candidate filter gave it when it was last
     * published: 1 unless a filter step (slow start) lowered it.
     */
    public double weightShare() {
        return weightShare;
    }

    /** Sets {@link #weightShare()}; called by the publisher before it publishes. */
    public void weightShare(double share) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("weightShare must be in (0, 1], was " + share);
        }
        this.weightShare = share;
    }

    @Override
    public double peakEwmaNanos() {
        return (double) PEAK_EWMA.getAcquire(this);
    }

    @Override
    public long peakEwmaAtNanos() {
        return (long) PEAK_EWMA_AT.getAcquire(this);
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

    /**
     * Counts a request routed to it and in flight, unless that would take it past its limit
     * (then nothing is counted and the answer is false).
     */
    boolean tryAcquire() {
        long after = load.addAndGet(ONE_REQUEST + 1);
        if (limit > 0 && (after & IN_FLIGHT_MASK) > limit) {
            load.getAndAdd(-(ONE_REQUEST + 1));
            return false;
        }
        return true;
    }

    /** Takes back an {@link #acquire} whose lease was not handed out. */
    void unacquire() {
        load.getAndAdd(-(ONE_REQUEST + 1));
    }

    /** A request in flight ended. */
    void release() {
        load.getAndDecrement();
    }

    /**
     * Records a response's latency at {@code nowNanos}: into the EWMA, and into the peak EWMA with
     * time constant {@code decayNanos} (a higher latency is taken at once, a lower one weighs
     * {@code 1 - exp(-elapsed / decay)} against the estimate).
     */
    void recordLatency(long nanos, long nowNanos, double decayNanos) {
        long sample = Math.max(0, nanos);
        long previous = (long) EWMA.getAcquire(this);
        EWMA.setRelease(this, ewma(previous, sample));
        double estimate = (double) PEAK_EWMA.getAcquire(this);
        if (Double.isNaN(estimate) || sample >= estimate) {
            estimate = sample;
        } else {
            double kept = decay(nowNanos - (long) PEAK_EWMA_AT.getAcquire(this), decayNanos);
            estimate = estimate * kept + sample * (1 - kept);
        }
        PEAK_EWMA_AT.setRelease(this, nowNanos);
        PEAK_EWMA.setRelease(this, estimate);
    }

    /** {@code exp(-elapsed / decay)}, by its Taylor polynomial for the short gaps between responses. */
    static double decay(long elapsedNanos, double decayNanos) {
        double x = Math.max(0, elapsedNanos) / decayNanos;
        return x < 1e-3 ? 1 - x + x * x / 2 : Math.exp(-x);
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
