package io.longshore.simulator;

import io.longshore.api.internal.Checks;
import java.time.Duration;
import java.util.Objects;

/**
 * How one modelled replica behaves: its service-time distribution, how long it takes to start,
 * how many requests it works on at once (the rest wait in its own queue, as in a server's thread
 * pool), whether it stalls now and then (a long GC pause: no progress, probes fail), and whether
 * it fails requests fast with a 5xx. Immutable; build with {@link #builder()}, derive variants
 * with {@link #toBuilder()}.
 *
 * @param name           shown in reports, e.g. {@code slow}
 * @param serviceTime    the work of one request
 * @param startup        from the runtime's start until it serves and passes its probes
 * @param concurrency    requests worked on at once; 0 for no limit
 * @param stallEvery     the period of its stalls; {@link Duration#ZERO} for none
 * @param stallLength    how long each stall lasts
 * @param failureRate    the share of requests it fails, in 0..1
 * @param failureLatency how long a failed request takes
 * @param failureStatus  the status of a failed request, 500..599
 */
public record ReplicaModel(String name, ServiceTime serviceTime, Duration startup, int concurrency,
                           Duration stallEvery, Duration stallLength, double failureRate,
                           Duration failureLatency, int failureStatus) {

    /** The service time of {@link #builder()}: 50 ms ± 20 %. */
    public static final ServiceTime DEFAULT_SERVICE_TIME = ServiceTime.jittered(Duration.ofMillis(50), 0.2);
    /** The start-up time of {@link #builder()}. */
    public static final Duration DEFAULT_STARTUP = Duration.ofSeconds(2);
    /** The concurrency of {@link #builder()}: no limit. */
    public static final int DEFAULT_CONCURRENCY = 0;
    /** The latency of a failed request of {@link #builder()}: fails fast. */
    public static final Duration DEFAULT_FAILURE_LATENCY = Duration.ofMillis(1);
    /** The status of a failed request of {@link #builder()}. */
    public static final int DEFAULT_FAILURE_STATUS = 503;

    public ReplicaModel {
        Checks.requireNonBlank(name, "name");
        Objects.requireNonNull(serviceTime, "serviceTime");
        Checks.requireNotNegative(startup, "startup");
        Checks.requireAtLeast(concurrency, 0, "concurrency");
        Checks.requireNotNegative(stallEvery, "stallEvery");
        Checks.requireNotNegative(stallLength, "stallLength");
        if (!stallEvery.isZero() && stallLength.compareTo(stallEvery) >= 0) {
            throw new IllegalArgumentException("stallLength (" + stallLength + ") must be shorter than stallEvery ("
                    + stallEvery + ")");
        }
        if (!(failureRate >= 0 && failureRate <= 1)) {
            throw new IllegalArgumentException("failureRate must be in 0..1, was " + failureRate);
        }
        Checks.requireNotNegative(failureLatency, "failureLatency");
        if (failureStatus < 500 || failureStatus > 599) {
            throw new IllegalArgumentException("failureStatus must be in 500..599, was " + failureStatus);
        }
    }

    /** A replica of 50 ms ± 20 %, 2 s start-up, no concurrency limit, no stalls, no failures. */
    public static Builder builder() {
        return new Builder();
    }

    /** The default model, {@link #builder()} unchanged. */
    public static ReplicaModel defaults() {
        return builder().build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Whether it stalls at all. */
    public boolean stalls() {
        return !stallEvery.isZero() && !stallLength.isZero();
    }

    /** Builds a {@link ReplicaModel}; every setter checks its argument. Not thread-safe. */
    public static final class Builder {
        private String name = "replica";
        private ServiceTime serviceTime = DEFAULT_SERVICE_TIME;
        private Duration startup = DEFAULT_STARTUP;
        private int concurrency = DEFAULT_CONCURRENCY;
        private Duration stallEvery = Duration.ZERO;
        private Duration stallLength = Duration.ZERO;
        private double failureRate;
        private Duration failureLatency = DEFAULT_FAILURE_LATENCY;
        private int failureStatus = DEFAULT_FAILURE_STATUS;

        private Builder() {
        }

        private Builder(ReplicaModel model) {
            name = model.name;
            serviceTime = model.serviceTime;
            startup = model.startup;
            concurrency = model.concurrency;
            stallEvery = model.stallEvery;
            stallLength = model.stallLength;
            failureRate = model.failureRate;
            failureLatency = model.failureLatency;
            failureStatus = model.failureStatus;
        }

        /** Its name in reports; {@code replica} by default. */
        public Builder name(String name) {
            this.name = Checks.requireNonBlank(name, "name");
            return this;
        }

        /** The work of one request; {@link #DEFAULT_SERVICE_TIME} (50 ms ± 20 %) by default. */
        public Builder serviceTime(ServiceTime serviceTime) {
            this.serviceTime = Objects.requireNonNull(serviceTime, "serviceTime");
            return this;
        }

        /** From the runtime's start until it serves; {@link #DEFAULT_STARTUP} (2 s) by default. */
        public Builder startup(Duration startup) {
            this.startup = Checks.requireNotNegative(startup, "startup");
            return this;
        }

        /** Requests worked on at once, the rest queue in the replica; 0 (the default) for no limit. */
        public Builder concurrency(int concurrency) {
            this.concurrency = Checks.requireAtLeast(concurrency, 0, "concurrency");
            return this;
        }

        /**
         * Stalls for {@code length} every {@code every} (the first {@code every} after it serves):
         * no request makes progress and probes fail meanwhile. None by default.
         */
        public Builder stalls(Duration every, Duration length) {
            this.stallEvery = Checks.requirePositive(every, "every");
            this.stallLength = Checks.requirePositive(length, "length");
            return this;
        }

        /**
         * Fails {@code rate} of its requests (0..1) with {@code status} after {@code latency}; none
         * by default.
         */
        public Builder failures(double rate, int status, Duration latency) {
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("rate must be in 0..1, was " + rate);
            }
            if (status < 500 || status > 599) {
                throw new IllegalArgumentException("status must be in 500..599, was " + status);
            }
            this.failureRate = rate;
            this.failureStatus = status;
            this.failureLatency = Checks.requireNotNegative(latency, "latency");
            return this;
        }

        /** Checks the settings together and builds the model. */
        public ReplicaModel build() {
            return new ReplicaModel(name, serviceTime, startup, concurrency, stallEvery, stallLength, failureRate,
                    failureLatency, failureStatus);
        }
    }
}
