package io.longshore.api;

import java.util.Objects;

/**
 * What consistent hashing hashes a request by: a header's first value, a cookie's value, the
 * client's address or the path. Written as {@code header:NAME}, {@code cookie:NAME}, {@code ip}
 * or {@code path} ({@link #parse}, {@link #toString()}). Immutable.
 *
 * @param source where the key comes from
 * @param name   the header's or cookie's name; empty for the address and the path
 */
public record HashKey(Source source, String name) {

    /** Where a request's key comes from. */
    public enum Source {
        /** The first value of a header. */
        HEADER,
        /** The value of a cookie. */
        COOKIE,
        /** The client's address (the connection's peer, not a forwarded-for header). */
        CLIENT_IP,
        /** The path, without the query. */
        PATH
    }

    public HashKey {
        Objects.requireNonNull(source, "source");
        if (source == Source.HEADER || source == Source.COOKIE) {
            name = requireToken(name, source == Source.HEADER ? "header name" : "cookie name");
        } else if (name != null && !name.isEmpty()) {
            throw new IllegalArgumentException(source + " takes no name, was '" + name + "'");
        } else {
            name = "";
        }
    }

    /** The first value of header {@code name} (any case). */
    public static HashKey header(String name) {
        return new HashKey(Source.HEADER, name);
    }

    /** The value of cookie {@code name}. */
    public static HashKey cookie(String name) {
        return new HashKey(Source.COOKIE, name);
    }

    /** The client's address. */
    public static HashKey clientIp() {
        return new HashKey(Source.CLIENT_IP, "");
    }

    /** The path, without the query. */
    public static HashKey path() {
        return new HashKey(Source.PATH, "");
    }

    /**
     * {@code header:NAME}, {@code cookie:NAME}, {@code ip} or {@code path}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static HashKey parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        if (spec.equals("ip")) {
            return clientIp();
        }
        if (spec.equals("path")) {
            return path();
        }
        if (spec.startsWith("header:")) {
            return header(spec.substring("header:".length()));
        }
        if (spec.startsWith("cookie:")) {
            return cookie(spec.substring("cookie:".length()));
        }
        throw new IllegalArgumentException("a hash key is header:NAME, cookie:NAME, ip or path, was '" + spec + "'");
    }

    /** The key of {@code request}, as characters valid during a strategy's call; {@code null} when it has none. */
    public CharSequence of(RouteRequest request) {
        return switch (source) {
            case HEADER -> request.headerView(name);
            case COOKIE -> request.cookieView(name);
            case CLIENT_IP -> request.clientAddress();
            case PATH -> request.pathView();
        };
    }

    @Override
    public String toString() {
        return switch (source) {
            case HEADER -> "header:" + name;
            case COOKIE -> "cookie:" + name;
            case CLIENT_IP -> "ip";
            case PATH -> "path";
        };
    }

    /** {@code value} if it is an RFC 9110 token (a header or cookie name), else an exception naming {@code what}. */
    static String requireToken(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean token = c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
            if (!token) {
                throw new IllegalArgumentException(what + " must be a token (letters, digits, !#$%&'*+-.^_`|~),"
                        + " was '" + value + "'");
            }
        }
        return value;
    }
}
