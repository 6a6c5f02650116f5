package io.longshore.jetty.internal.policy;

import io.longshore.api.Backend;
import io.longshore.api.RouteRequest;
import io.longshore.core.Router;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The cookie of a route whose strategy routes by sticky sessions
 * ({@link io.longshore.api.LoadBalancingStrategy#stickySessions}): a response carries
 * {@code Set-Cookie: <name>=<backend id>; Path=/; HttpOnly} unless the request already named the
 * backend that answered, so the client's next requests return to it. Both transports follow it.
 * A backend id that cannot be a cookie value (RFC 6265 cookie-octets) is never set. Immutable.
 */
public final class StickyCookie {
    private static final String ATTRIBUTES = "; Path=/; HttpOnly";

    private final String name;

    private StickyCookie(String name) {
        this.name = name;
    }

    /** The cookie of {@code router}'s strategy, if it has one. */
    public static Optional<StickyCookie> of(Router router) {
        return router.stickyCookie().map(StickyCookie::new);
    }

    /** Whether the response to {@code request} from {@code backend} must set the cookie. Allocates nothing. */
    public boolean needsSetting(RouteRequest request, Backend backend) {
        String id = backend.id();
        return isCookieValue(id) && !id.contentEquals(orEmpty(request.cookieView(name)));
    }

    /** The {@code Set-Cookie} field's value naming {@code backend}. */
    public String value(Backend backend) {
        return name + "=" + backend.id() + ATTRIBUTES;
    }

    /** The whole {@code Set-Cookie} field line naming {@code backend}, CRLF included. */
    public byte[] line(Backend backend) {
        return ("Set-Cookie: " + value(backend) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static CharSequence orEmpty(CharSequence value) {
        return value == null ? "" : value;
    }

    /** RFC 6265: printable ASCII but for whitespace, DQUOTE, comma, semicolon and backslash. */
    private static boolean isCookieValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c >= 0x7F || c == '"' || c == ',' || c == ';' || c == '\\') {
                return false;
            }
        }
        return !value.isEmpty();
    }

    @Override
    public String toString() {
        return "sticky cookie " + name;
    }
}
