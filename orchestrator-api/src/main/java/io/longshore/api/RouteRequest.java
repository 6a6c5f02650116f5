package io.longshore.api;

import io.longshore.api.internal.Cookies;

/**
 * The parts of an incoming request a strategy may route on. Gateways implement it as a view
 * over their own request type, so routing allocates nothing.
 *
 * <p>The {@code ...View} methods answer characters a strategy may read during its call only
 * (a gateway may hand out a reused view over its buffer instead of a new string; copy with
 * {@code toString()} to keep one). The gateway's standalone engine answers them without
 * allocating; their defaults fall back to the string methods.
 */
public interface RouteRequest {

    /** The HTTP method, upper case. */
    String method();

    /** The path, without the query. */
    String path();

    /**
     * The first value of a header, or {@code null}. For {@code Host} the gateway answers the host
     * the request names: an absolute-form target's authority ({@code GET http://host/path}) over
     * the {@code Host} field (RFC 9112 3.2.2).
     */
    String header(String name);

    /** The client's address, or {@code null} when unknown. */
    default String clientAddress() {
        return null;
    }

    /** {@link #path()}, as characters valid during the strategy's call. */
    default CharSequence pathView() {
        return path();
    }

    /** {@link #header(String)}, as characters valid during the strategy's call; {@code null} when absent. */
    default CharSequence headerView(String name) {
        return header(name);
    }

    /**
     * The value of cookie {@code name} in the request's {@code Cookie} header (RFC 6265
     * {@code name=value} pairs separated by {@code ;}), without surrounding double quotes, as
     * characters valid during the strategy's call; {@code null} when there is no such cookie.
     */
    default CharSequence cookieView(String name) {
        return Cookies.value(header("Cookie"), name);
    }

    /** A request with only a method and a path, for tests and for callers outside HTTP. */
    static RouteRequest of(String method, String path) {
        return new SimpleRouteRequest(method, path);
    }
}
