package io.longshore.jetty.internal.embedded;

import io.longshore.api.Backend;
import io.longshore.jetty.internal.policy.StickyCookie;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * The head of the client's response as an {@link Exchange}'s replica gives it: its interim
 * responses, and its final status and fields with the sticky cookie and whether the client's
 * connection stays open. Called by one attempt at a time, on Jetty's client threads.
 */
final class ClientResponse {
    private final Request request;
    private final Response response;
    private final HostRequest route;
    private final Optional<StickyCookie> sticky;

    ClientResponse(Request request, Response response, HostRequest route, Optional<StickyCookie> sticky) {
        this.request = request;
        this.response = response;
        this.route = route;
        this.sticky = sticky;
    }

    /**
     * A 1xx from the replica: {@code 100} is the gateway's own business, others go to HTTP/1.1
     * clients, without a {@code Content-Length} the replica should not have sent (RFC 9110 8.6):
     * Jetty's server would take it for the final response's.
     */
    void passInterim(int status, HttpFields replicaFields) {
        if (status == HttpStatus.CONTINUE_100 || isHttp10()) {
            return;
        }
        HttpFields.Mutable fields = HttpFields.build();
        ForwardedHeaders.copyResponse(replicaFields, fields);
        fields.remove(HttpHeader.CONTENT_LENGTH);
        response.writeInterim(status, fields.asImmutable());
    }

    /**
     * Copies a replica's final status and headers to the client's response, with the sticky
     * cookie for {@code backend} (the replica leased, if any) when the router wants one set. As
     * the standalone proxy does, the client's connection closes after a body without a known
     * length (one delimited by closing, or a chunked one for an HTTP/1.0 client) and after a
     * response to an HTTP/1.0 client that did not ask for keep-alive, and after one that came
     * while the client was still sending its body (the host server closes that connection: the
     * rest of the body is not read); the response says so. A
     * {@code 204} goes without the {@code Content-Length} a replica may wrongly give it (RFC 9110
     * 8.6): Jetty's server would wait for that many body bytes and answer 500 instead.
     */
    void passHeaders(org.eclipse.jetty.client.Response replica, Backend backend, boolean delimitedByClose,
                     boolean lengthKnown, boolean bodyPending) {
        response.setStatus(replica.getStatus());
        ForwardedHeaders.copyResponse(replica.getHeaders(), response.getHeaders());
        if (replica.getStatus() == HttpStatus.NO_CONTENT_204) {
            response.getHeaders().remove(HttpHeader.CONTENT_LENGTH);
        }
        if (sticky.isPresent() && backend != null && sticky.get().needsSetting(route, backend)) {
            response.getHeaders().add(HttpHeader.SET_COOKIE, sticky.get().value(backend));
        }
        if (delimitedByClose || bodyPending || isHttp10() && (!lengthKnown || !wantsKeepAlive())) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
        if (!lengthKnown && !delimitedByClose && !isHttp10()) { // chunked: it may end with trailer fields
            HttpFields.Mutable fields = HttpFields.build();
            response.setTrailersSupplier(() -> {
                // Jetty's client keeps them on its response rather than in a trailers chunk
                HttpFields received = replica.getTrailers();
                if (fields.size() == 0 && received != null) {
                    ForwardedHeaders.copyResponse(received, fields);
                }
                return fields.size() == 0 ? null : fields;
            });
        }
    }

    private boolean isHttp10() {
        return request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_0;
    }

    private boolean wantsKeepAlive() {
        return request.getHeaders().contains(HttpHeader.CONNECTION, HttpHeaderValue.KEEP_ALIVE.asString());
    }
}
