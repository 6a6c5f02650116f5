package io.longshore.benchmarks;

import io.longshore.api.RouteRequest;

/**
 * The request the benchmarks route: a path, a few headers (a user header among them) and
 * cookies (a session and a sticky cookie among others), and a client address. Its
 * {@code ...View} methods answer views made once, when the request was ({@link FieldText}),
 * after a case-insensitive search of its few header names or a search of its cookie names: no
 * call allocates, so a benchmark measures what the strategy itself costs and allocates (the
 * gateway's engine reads the same keys from the parsed head in place, which adds its field
 * search). The sticky cookie names the backend on {@link RouterBenchmark#BASE_PORT} + 50, present
 * from 51 replicas on. Immutable.
 */
final class BenchRequest implements RouteRequest {
    static final String USER_HEADER = "X-User";
    static final String SESSION_COOKIE = "session";
    static final String STICKY_COOKIE = "lb";

    private static final String PATH = "/api/v1/acts";
    private static final String[] COOKIE_NAMES = {"theme", SESSION_COOKIE, STICKY_COOKIE};
    private static final String[] COOKIE_VALUES = {"dark", "3f2a9c1e-5b7d-4e1a-9c2b-7d6e5f4a3b2c",
            "127.0.0.1:" + (RouterBenchmark.BASE_PORT + 50)};
    private static final String[] HEADER_NAMES = {"Host", "Accept", "User-Agent", USER_HEADER, "Cookie"};
    private static final String[] HEADER_VALUES = {"shop.example", "application/json", "bench/1.0", "user-4711",
            cookieHeader()};

    private final FieldText path = new FieldText(PATH);
    private final FieldText[] headers = views(HEADER_VALUES);
    private final FieldText[] cookies = views(COOKIE_VALUES);

    /** {@code theme=dark; session=...; lb=...}, as a browser sends them. */
    private static String cookieHeader() {
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < COOKIE_NAMES.length; i++) {
            header.append(i == 0 ? "" : "; ").append(COOKIE_NAMES[i]).append('=').append(COOKIE_VALUES[i]);
        }
        return header.toString();
    }

    private static FieldText[] views(String[] values) {
        FieldText[] views = new FieldText[values.length];
        for (int i = 0; i < values.length; i++) {
            views[i] = new FieldText(values[i]);
        }
        return views;
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public String header(String name) {
        int field = headerIndex(name);
        return field < 0 ? null : HEADER_VALUES[field];
    }

    @Override
    public String clientAddress() {
        return "10.1.2.3";
    }

    @Override
    public CharSequence pathView() {
        return path;
    }

    @Override
    public CharSequence headerView(String name) {
        int field = headerIndex(name);
        return field < 0 ? null : headers[field];
    }

    @Override
    public CharSequence cookieView(String name) {
        for (int i = 0; i < COOKIE_NAMES.length; i++) {
            if (COOKIE_NAMES[i].equals(name)) {
                return cookies[i];
            }
        }
        return null;
    }

    private static int headerIndex(String name) {
        for (int i = 0; i < HEADER_NAMES.length; i++) {
            if (HEADER_NAMES[i].equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }
}
