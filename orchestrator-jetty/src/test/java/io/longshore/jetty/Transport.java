package io.longshore.jetty;

/**
 * The two ways a gateway takes its clients' requests; every gateway test runs against both:
 * the standalone event-loop engine, and the embedded handler mounted in a host's own Jetty
 * server.
 */
enum Transport {
    STANDALONE,
    EMBEDDED;

    /** Builds and starts {@code builder}'s gateway with the default connector settings. */
    TestGateway start(GatewayBuilder builder) {
        return start(builder, ConnectorSettings.DEFAULTS);
    }

    /**
     * Builds and starts {@code builder}'s gateway, its proxy and admin API on free loopback
     * ports. {@code connector} goes to the gateway's own connectors when standalone, and to
     * the host server's connector when embedded (where the gateway refuses them).
     */
    TestGateway start(GatewayBuilder builder, ConnectorSettings connector) {
        return TestGateway.start(this, builder, connector);
    }
}
