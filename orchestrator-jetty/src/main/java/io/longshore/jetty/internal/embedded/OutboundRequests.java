package io.longshore.jetty.internal.embedded;

import io.longshore.api.Endpoint;
import org.eclipse.jetty.client.Request;

/**
 * The request Jetty's client sends a replica for one attempt of an {@link Exchange}: the host
 * request's method and target, the fields that cross the gateway ({@link ForwardedHeaders}) and
 * the replica's own {@code Host}, and the request body when there is one, with its trailer fields
 * when it has no declared length (chunked, or an HTTP/2 stream's {@code DATA}). The exchange rides
 * along as an attribute, for {@link InterimResponses}. Stateless.
 */
final class OutboundRequests {
    private OutboundRequests() {
    }

    /** A new request for {@code exchange} to the replica at {@code endpoint}, its {@code body} null when it has none. */
    static Request of(ReplicaClient replicas, Endpoint endpoint, Exchange exchange, RequestBody body) {
        org.eclipse.jetty.server.Request request = exchange.request;
        Request outbound = replicas.client().newRequest(replicas.origin(endpoint))
                .method(request.getMethod())
                .path(request.getHttpURI().getPathQuery())
                .attribute(Exchange.class.getName(), exchange)
                .headers(headers -> {
                    ForwardedHeaders.copyRequest(request, headers);
                    headers.put(replicas.hostField(endpoint));
                });
        if (body != null) {
            outbound.body(body);
            if (request.getLength() < 0) { // chunked (or an HTTP/2 stream's DATA): it may end with trailer fields
                outbound.trailersSupplier(body::trailers);
            }
        }
        return outbound;
    }
}
