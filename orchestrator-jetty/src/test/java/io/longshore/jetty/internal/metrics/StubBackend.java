package io.longshore.jetty.internal.metrics;

import io.longshore.api.Backend;
import io.longshore.api.Endpoint;

/** A backend known by its id alone, for recording outcomes in metrics tests. Immutable. */
public record StubBackend(String id) implements Backend {
    @Override
    public Endpoint endpoint() {
        return Endpoint.loopback(8000);
    }

    @Override
    public int inFlight() {
        return 0;
    }

    @Override
    public long latencyEwmaNanos() {
        return 0;
    }
}
