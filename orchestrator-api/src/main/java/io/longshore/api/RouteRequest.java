package io.longshore.api;

/**
 * The parts of an incoming request a strategy may route on. Gateways implement it as a view
 * over their own request type, so routing allocates nothing.
 */
public interface RouteRequest {

    /** The HTTP method, upper case. */
    String method();

    /** The path, without the query. */
    String path();

    /** The first value of a header, or {@code null}. */
    String header(String name);

    /** The client's address, or {@code null} when unknown. */
    default String clientAddress() {
        return null;
    }

    /** A request with only a method and a path, for tests and for callers outside HTTP. */
    static RouteRequest of(String method, String path) {
        return new SimpleRouteRequest(method, path);
    }
}
