package io.longshore.benchmarks;

import io.longshore.api.RouteRequest;
import io.longshore.jetty.internal.codec.RequestHead;
import io.longshore.jetty.internal.codec.RouteViews;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The request the benchmarks route, as the gateway's engine presents one: a head parsed by its
 * codec, whose path, user header and cookies (a session and a sticky cookie among others)
 * strategies read through the codec's views in place, and a client address. The sticky cookie
 * names the backend on {@link RouterBenchmark#BASE_PORT} + 50, present from 51 replicas on. One
 * per thread: the views are reused. Not thread-safe.
 */
final class BenchRequest implements RouteRequest {
    static final String USER_HEADER = "X-User";
    static final String SESSION_COOKIE = "session";
    static final String STICKY_COOKIE = "lb";

    private static final String HEAD = "GET /api/v1/acts?page=2 HTTP/1.1\r\nHost: shop.example\r\n"
            + "Accept: application/json\r\nUser-Agent: bench/1.0\r\n" + USER_HEADER + ": user-4711\r\n"
            + "Cookie: theme=dark; " + SESSION_COOKIE + "=3f2a9c1e-5b7d-4e1a-9c2b-7d6e5f4a3b2c; " + STICKY_COOKIE
            + "=127.0.0.1:" + (RouterBenchmark.BASE_PORT + 50) + "\r\n\r\n";

    private final RequestHead head = new RequestHead(8192);
    private final RouteViews views = new RouteViews();

    BenchRequest() {
        if (head.parse(ByteBuffer.wrap(HEAD.getBytes(StandardCharsets.ISO_8859_1))) <= 0) {
            throw new IllegalStateException("the benchmark's request does not parse");
        }
    }

    @Override
    public String method() {
        return head.methodName();
    }

    @Override
    public String path() {
        return head.path();
    }

    @Override
    public String header(String name) {
        return head.field(name);
    }

    @Override
    public String clientAddress() {
        return "10.1.2.3";
    }

    @Override
    public CharSequence pathView() {
        return views.path(head);
    }

    @Override
    public CharSequence headerView(String name) {
        return views.header(head, name);
    }

    @Override
    public CharSequence cookieView(String name) {
        return views.cookie(head, name);
    }
}
