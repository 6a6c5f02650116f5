package io.longshore.api;

import java.util.ArrayList;
import java.util.List;

/** A backend whose load figures a test sets. Not thread-safe. */
final class TestBackend implements Backend {
    private final String id;
    private final Endpoint endpoint;
    int inFlight;
    int weight = 1;
    double effectiveWeight = Double.NaN;
    double peakEwmaNanos = Double.NaN;
    long peakEwmaAtNanos;

    TestBackend(String id, int port) {
        this.id = id;
        this.endpoint = Endpoint.loopback(port);
    }

    /** {@code count} backends {@code b0, b1, ...} on ports 9000, 9001, ... */
    static List<Backend> many(int count) {
        List<Backend> backends = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            backends.add(new TestBackend("b" + i, 9000 + i));
        }
        return List.copyOf(backends);
    }

    static TestBackend at(List<Backend> backends, int i) {
        return (TestBackend) backends.get(i);
    }

    TestBackend weight(int weight) {
        this.weight = weight;
        return this;
    }

    TestBackend effectiveWeight(double weight) {
        this.effectiveWeight = weight;
        return this;
    }

    TestBackend latency(double nanos, long atNanos) {
        this.peakEwmaNanos = nanos;
        this.peakEwmaAtNanos = atNanos;
        return this;
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
        return inFlight;
    }

    @Override
    public long latencyEwmaNanos() {
        return 0;
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public double effectiveWeight() {
        return Double.isNaN(effectiveWeight) ? weight : effectiveWeight;
    }

    @Override
    public double peakEwmaNanos() {
        return peakEwmaNanos;
    }

    @Override
    public long peakEwmaAtNanos() {
        return peakEwmaAtNanos;
    }

    @Override
    public String toString() {
        return id;
    }
}
