package io.longshore.jetty.internal.embedded;

import io.longshore.api.RouteRequest;
import io.longshore.jetty.internal.codec.Method;
import java.util.Objects;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The router's view of a request the host server took, for every embedded exchange (plain or
 * upgrade): its method, path, header fields (the {@code Host} as {@link RequestHosts} reads it)
 * and client address, read from Jetty's request when asked. Immutable; safe on any thread that may read the request.
 */
final class HostRequest implements RouteRequest {
    private final Request request;

    HostRequest(Request request) {
        this.request = Objects.requireNonNull(request, "request");
    }

    /** Whether the request is a HEAD, whose answer carries no body. */
    boolean isHead() {
        return Method.of(request.getMethod()) == Method.HEAD;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String path() {
        return request.getHttpURI().getPath();
    }

    /** The first value of header {@code name}; for {@code Host}, the host the request names ({@link RequestHosts}). */
    @Override
    public String header(String name) {
        return HttpHeader.HOST.is(name) ? RequestHosts.of(request) : request.getHeaders().get(name);
    }

    @Override
    public String clientAddress() {
        return Request.getRemoteAddr(request);
    }
}
