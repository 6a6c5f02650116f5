/**
 * The Longshore service-provider interface: the values, events and one-method SPIs that
 * container runtimes, strategies, probes and scaling policies implement. No dependencies
 * beyond the JDK (its HTTP client, for the built-in HTTP probe).
 *
 * <p>{@code io.longshore.api.internal} (argument checks the builders share) is exported
 * only to the sibling Longshore modules; it is not API.
 */
module io.longshore.api {
    requires java.net.http;

    exports io.longshore.api;
    exports io.longshore.api.internal to
            io.longshore.core,
            io.longshore.docker,
            io.longshore.jetty,
            io.longshore.kubernetes,
            io.longshore.simulator;
}
