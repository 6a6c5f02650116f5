/**
 * The Longshore orchestrator: the control loop, the router in front of the replicas, the
 * process runtime and the HTTP health probe.
 *
 * <p>{@code io.longshore.core.internal} (the router's data path) is not exported.
 */
module io.longshore.core {
    requires transitive io.longshore.api;
    requires org.slf4j;
    requires org.apache.httpcomponents.client5.httpclient5;
    requires org.apache.httpcomponents.core5.httpcore5;

    exports io.longshore.core;
}
