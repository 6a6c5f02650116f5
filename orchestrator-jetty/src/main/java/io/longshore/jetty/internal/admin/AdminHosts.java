package io.longshore.jetty.internal.admin;

import io.longshore.jetty.internal.codec.HostSyntax;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The host names the admin API answers to, checked against every request's {@code Host}.
 * An {@code Origin} check alone cannot stop DNS rebinding: a page on {@code evil.example}
 * that re-points its own name at 127.0.0.1 sends {@code Host} and {@code Origin} that agree
 * with each other, and its script then reaches the loopback admin API as same-origin. What it
 * cannot do is make the browser send a {@code Host} other than its own name, so a request for
 * a name nobody configured is answered 421 (Misdirected Request), as Jupyter, the Kubernetes
 * dashboard proxy and Vite's dev server do. Names compare without case, a trailing dot, IPv6
 * brackets or the port (the rebinding page uses the admin port too). Immutable.
 */
public final class AdminHosts {
    /** Always allowed: the loopback literals and {@code localhost}. */
    public static final List<String> LOOPBACK = List.of("127.0.0.1", "::1", "localhost");

    private static final String IPV6 = "[0-9A-Fa-f:.]+";

    private final Set<String> allowed;

    /** The loopback names, {@code bindHost} (may be null: embedded) and {@code extra}. */
    public AdminHosts(String bindHost, List<String> extra) {
        Set<String> names = new LinkedHashSet<>();
        LOOPBACK.forEach(name -> names.add(normalize(name)));
        if (bindHost != null) {
            names.add(normalize(bindHost));
        }
        extra.forEach(name -> names.add(normalize(name)));
        this.allowed = Set.copyOf(names);
    }

    /**
     * Whether a request with this {@code Host} value may be answered. No {@code Host} at all
     * (an HTTP/1.0 client) passes: browsers always send one, so it cannot come from a page.
     */
    public boolean allows(String hostHeader) {
        if (hostHeader == null) {
            return true;
        }
        return allowed.contains(normalize(stripPort(hostHeader.trim())));
    }

    /** The allowed names, normalized, for the error message. */
    public Set<String> names() {
        return allowed;
    }

    /**
     * Checks one name a user configures: a host name or IP literal without a port or scheme.
     *
     * @throws IllegalArgumentException naming {@code what} and the value
     */
    public static String requireHostName(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        String bare = name.trim();
        boolean valid;
        if (bare.startsWith("[")) {
            valid = bare.endsWith("]") && bare.substring(1, bare.length() - 1).matches(IPV6);
        } else if (bare.indexOf(':') >= 0) {
            valid = bare.matches(IPV6) && bare.indexOf(':') != bare.lastIndexOf(':');
        } else {
            valid = bare.matches("[A-Za-z0-9._-]+");
        }
        if (!valid) {
            throw new IllegalArgumentException(what + " must be a host name or IP address without a port or scheme,"
                    + " was '" + name + "'");
        }
        return bare;
    }

    private static String stripPort(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.indexOf(':');
        // a bare IPv6 literal has several colons; a host:port has one
        return colon >= 0 && host.indexOf(':', colon + 1) < 0 ? host.substring(0, colon) : host;
    }

    private static String normalize(String host) {
        String name = HostSyntax.withoutBrackets(host.toLowerCase(Locale.ROOT));
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
