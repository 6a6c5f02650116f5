package io.longshore.jetty.internal.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The bearer token the admin API may require: what a token may be ({@link #require}), and whether
 * a request carries it, its {@code Authorization} value compared with {@code Bearer <token>} byte
 * for byte, in constant time. With no token configured every request passes. Immutable; thread-safe.
 */
public final class BearerToken {
    /** {@code Bearer <token>} as the client must send it; {@code null} when no token is required. */
    private final byte[] expectedAuthorization;

    /** {@code token}: the token every admin request must carry, or {@code null} for none. */
    BearerToken(String token) {
        this.expectedAuthorization = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Returns {@code token} if it can be a bearer token: not blank, and visible ASCII only
     * ({@code !} to {@code ~}). HTTP clients send header values as ASCII or Latin-1, so a token
     * with any other character could never match what arrives and would lock everyone out.
     *
     * @throws IllegalArgumentException naming {@code bearerToken} otherwise
     */
    public static String require(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("bearerToken must not be blank");
        }
        if (!isVisibleAscii(token)) {
            throw new IllegalArgumentException("bearerToken must be visible ASCII characters ('!' to '~'; no space,"
                    + " control or non-ASCII character): no HTTP client could send another");
        }
        return token;
    }

    /** Whether {@code request} may be answered: no token is required, or it carries the token. */
    boolean allows(Request request) {
        if (expectedAuthorization == null) {
            return true;
        }
        String given = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        return given != null && MessageDigest.isEqual(expectedAuthorization, given.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether every character of {@code text} is between {@code '!'} and {@code '~'}. */
    private static boolean isVisibleAscii(String text) {
        return text.chars().allMatch(c -> c >= 0x21 && c <= 0x7E);
    }
}
