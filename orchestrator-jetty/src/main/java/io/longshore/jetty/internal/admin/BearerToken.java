package io.longshore.jetty.internal.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The bearer token the admin API may require, and whether a request carries it: its
 * {@code Authorization} value compared with {@code Bearer <token>} byte for byte, in constant time.
 * With no token configured every request passes. Immutable; thread-safe.
 */
final class BearerToken {
    /** {@code Bearer <token>} as the client must send it; {@code null} when no token is required. */
    private final byte[] expectedAuthorization;

    /** {@code token}: the token every admin request must carry, or {@code null} for none. */
    BearerToken(String token) {
        this.expectedAuthorization = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    /** Whether {@code request} may be answered: no token is required, or it carries the token. */
    boolean allows(Request request) {
        if (expectedAuthorization == null) {
            return true;
        }
        String given = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        return given != null && MessageDigest.isEqual(expectedAuthorization, given.getBytes(StandardCharsets.UTF_8));
    }
}
