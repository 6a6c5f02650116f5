package io.longshore.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a simulation measured: every request's outcome and latency (as its client saw it, waiting
 * in the line included), replica-seconds against an oracle's, how fast capacity followed a change
 * of load, the scaling changes, each replica's share, and a timeline. Immutable.
 */
public final class SimulationReport {
    private final Requests requests;
    private final List<Sample> timeline;
    private final List<Duration> scalings;
    private final List<ReplicaStats> replicas;
    private final double replicaSeconds;
    private final double oracleReplicaSeconds;
    private final double capacityPerReplica;
    private final Duration length;

    SimulationReport(Requests requests, List<Sample> timeline, List<Duration> scalings, List<ReplicaStats> replicas,
                     double replicaSeconds, double oracleReplicaSeconds, double capacityPerReplica, Duration length) {
        this.requests = requests;
        this.timeline = List.copyOf(timeline);
        this.scalings = List.copyOf(scalings);
        this.replicas = List.copyOf(replicas);
        this.replicaSeconds = replicaSeconds;
        this.oracleReplicaSeconds = oracleReplicaSeconds;
        this.capacityPerReplica = capacityPerReplica;
        this.length = length;
    }

    /** Requests sent. */
    public long requests() {
        return requests.count();
    }

    /** Requests sent in {@code [from, to)}. */
    public long requests(Duration from, Duration to) {
        return requests.count(from.toNanos(), to.toNanos());
    }

    /** Requests a replica answered with a status below 500. */
    public long served() {
        return requests.count(Outcome.SERVED);
    }

    /** Requests that waited in the gateway's line for a replica, however they ended. */
    public long held() {
        return requests.held();
    }

    /** Requests whose client got an error (a replica's 5xx or the gateway's 502/503/504). */
    public long failed() {
        return requests.failed();
    }

    /** Failed requests by how they failed; outcomes that did not occur are absent. */
    public Map<Outcome, Long> failures() {
        return requests.failures();
    }

    /** Requests that arrived in {@code [from, to)} and failed. */
    public long failed(Duration from, Duration to) {
        return requests.failed(from.toNanos(), to.toNanos());
    }

    public Duration p50() {
        return latency(0.50);
    }

    public Duration p99() {
        return latency(0.99);
    }

    public Duration p999() {
        return latency(0.999);
    }

    /** The {@code q} quantile (0..1) of every request's latency, nearest rank; zero without requests. */
    public Duration latency(double q) {
        return Duration.ofNanos(requests.quantile(checkQuantile(q)));
    }

    /** The {@code q} quantile of the latency of the requests that arrived in {@code [from, to)}. */
    public Duration latency(double q, Duration from, Duration to) {
        return Duration.ofNanos(requests.quantile(checkQuantile(q), from.toNanos(), to.toNanos()));
    }

    /** Replica time over the run (a starting replica counts), in seconds. */
    public double replicaSeconds() {
        return replicaSeconds;
    }

    /**
     * The replica-seconds of an oracle that knows the load in advance: at every moment exactly the
     * replicas the offered load needs at the oracle's concurrency per replica, each started its
     * start-up ahead. NaN without an oracle (or when the traffic cannot tell its load).
     */
    public double oracleReplicaSeconds() {
        return oracleReplicaSeconds;
    }

    /**
     * How long after {@code after} the routable replicas first had room for the offered load
     * (routable × capacity per replica ≥ offered); empty when they never did, or when the
     * capacity per replica or the offered load is unknown.
     */
    public Optional<Duration> timeToCapacity(Duration after) {
        if (Double.isNaN(capacityPerReplica)) {
            return Optional.empty();
        }
        for (Sample sample : timeline) {
            if (sample.at().compareTo(after) >= 0 && !Double.isNaN(sample.offered())
                    && sample.routable() * capacityPerReplica >= sample.offered()) {
                return Optional.of(sample.at().minus(after));
            }
        }
        return Optional.empty();
    }

    /** Changes of the desired replica count over the run. */
    public int scalingChanges() {
        return scalings.size();
    }

    /** Changes of the desired replica count in {@code [from, to)}. */
    public int scalingChanges(Duration from, Duration to) {
        return (int) scalings.stream().filter(at -> at.compareTo(from) >= 0 && at.compareTo(to) < 0).count();
    }

    /** Replicas started over the run. */
    public int replicasStarted() {
        return replicas.size();
    }

    /** The most replicas running at once (sampled). */
    public int maxReplicas() {
        return timeline.stream().mapToInt(Sample::running).max().orElse(0);
    }

    /** The most requests waiting in the line at once (sampled). */
    public int maxWaiting() {
        return timeline.stream().mapToInt(Sample::waiting).max().orElse(0);
    }

    /** Every replica of the run, in start order, with what it did. */
    public List<ReplicaStats> replicas() {
        return replicas;
    }

    /** The state sampled at a fixed interval over the run. */
    public List<Sample> timeline() {
        return timeline;
    }

    /** How long the traffic ran. */
    public Duration length() {
        return length;
    }

    /** One line of the main figures. */
    public String summary() {
        return String.format(Locale.ROOT, "requests=%d served=%d held=%d failed=%d p50=%s p99=%s p99.9=%s "
                        + "replica-seconds=%.0f oracle=%.0f changes=%d max-replicas=%d",
                requests(), served(), held(), failed(), millis(p50()), millis(p99()), millis(p999()), replicaSeconds,
                oracleReplicaSeconds, scalingChanges(), maxReplicas());
    }

    /** {@code d} in milliseconds with one decimal, e.g. {@code 51.3ms}. */
    public static String millis(Duration d) {
        return String.format(Locale.ROOT, "%.1fms", d.toNanos() / 1e6);
    }

    private static double checkQuantile(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("q must be in 0..1, was " + q);
        }
        return q;
    }

    @Override
    public String toString() {
        return summary();
    }
}
