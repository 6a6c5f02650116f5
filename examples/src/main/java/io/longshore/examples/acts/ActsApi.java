package io.longshore.examples.acts;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The acts service's endpoints as a function from (method, path, query, body) to a {@link Response};
 * knows nothing of HTTP servers. Paths under {@code /api/v1/} that do not start with an
 * underscore are the API: they are counted, and answered {@code _delay} milliseconds late; the
 * underscore ones are for the orchestrator and tests. Thread-safe.
 */
final class ActsApi {
    static final String PREFIX = "/api/v1/";
    private static final String CATEGORIES_PREFIX = "categories/";
    private static final String ACTS_SUFFIX = "/acts";
    private static final String SIZE_SUFFIX = "/acts/size";

    private final ActsStore store;
    private final CategoryActs categoryActs;
    private final RequestBodies bodies;
    private final String replicaId;
    private final AtomicBoolean crashed = new AtomicBoolean();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong delayMillis = new AtomicLong();

    ActsApi(ActsStore store, RequestBodies bodies, String replicaId) {
        this.store = store;
        this.categoryActs = new CategoryActs(store);
        this.bodies = bodies;
        this.replicaId = replicaId;
    }

    /**
     * The answer to one request.
     *
     * @param rawQuery the query string as sent (not decoded), or {@code null} when there is none
     */
    Response handle(String method, String path, String rawQuery, byte[] body) {
        if (isCounted(path)) {
            served.incrementAndGet();
            pause(delayMillis.get());
        }
        try {
            return route(method, path, rawQuery, body);
        } catch (ApiException e) {
            return Response.error(e);
        } catch (SQLException e) {
            return Response.databaseError(e);
        }
    }

    static boolean isCounted(String path) {
        return path.startsWith(PREFIX) && !path.startsWith(PREFIX + "_");
    }

    private Response route(String method, String path, String rawQuery, byte[] body) throws SQLException {
        String rest = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
        switch (rest) {
            case "categories":
                return allow(method, "GET", "POST").equals("GET")
                        ? Response.ok(store.categoryCounts()) : addCategory(body);
            case "acts":
                allow(method, "POST");
                return addAct(body);
            case "acts/count":
                allow(method, "GET");
                return Response.ok(List.of(store.actCount()));
            case "_health":
                allow(method, "GET");
                return health();
            case "_crash":
                allow(method, "POST");
                crashed.set(true);
                return Response.ok(Map.of("crashed", true));
            case "_delay":
                allow(method, "POST");
                delayMillis.set(bodies.delayMillis(body));
                return Response.ok(Map.of("delayMs", delayMillis.get()));
            case "_count":
                return allow(method, "GET", "DELETE").equals("GET")
                        ? Response.ok(List.of(served.get())) : resetCount();
            default:
                return routeCategoryActs(method, path, rest, rawQuery);
        }
    }

    private Response routeCategoryActs(String method, String path, String rest, String rawQuery)
            throws SQLException {
        String tail = rest.startsWith(CATEGORIES_PREFIX) ? rest.substring(CATEGORIES_PREFIX.length()) : "";
        if (tail.endsWith(SIZE_SUFFIX) && tail.length() > SIZE_SUFFIX.length()) {
            allow(method, "GET");
            return categoryActs.size(tail.substring(0, tail.length() - SIZE_SUFFIX.length()));
        }
        if (tail.endsWith(ACTS_SUFFIX) && tail.length() > ACTS_SUFFIX.length()) {
            allow(method, "GET");
            return categoryActs.list(tail.substring(0, tail.length() - ACTS_SUFFIX.length()), rawQuery);
        }
        throw new ApiException(404, "no such endpoint: " + path);
    }

    private Response addCategory(byte[] body) throws SQLException {
        String name = bodies.categoryName(body);
        if (!store.addCategory(name)) {
            throw new ApiException(409, "category already exists: " + name);
        }
        return Response.created(Map.of("name", name));
    }

    private Response addAct(byte[] body) throws SQLException {
        Act act = bodies.act(body);
        switch (store.addAct(act)) {
            case NO_SUCH_CATEGORY:
                throw new ApiException(404, "no such category: " + act.categoryName());
            case DUPLICATE_ID:
                throw new ApiException(409, "act already exists: " + act.actId());
            default:
                return Response.created(act);
        }
    }

    private Response health() {
        if (crashed.get()) {
            return new Response(500, Map.of("healthy", false, "reason", "crashed by /api/v1/_crash"));
        }
        try {
            store.checkHealth(replicaId);
            return Response.ok(Map.of("healthy", true));
        } catch (SQLException | RuntimeException e) {
            return new Response(500, Map.of("healthy", false, "reason", "database: " + e.getMessage()));
        }
    }

    /** Holds the worker thread for {@code millis}, as a slow replica would (a JIT not warm yet, a noisy neighbour). */
    private static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Response resetCount() {
        served.set(0);
        return Response.ok(List.of(0L));
    }

    /**
     * Returns {@code method} when it is one of {@code allowed}, and {@code GET} for a {@code HEAD}
     * where {@code GET} is allowed (the server then sends the GET's head without its body, RFC 9110
     * §9.3.2); else throws a 405 naming the allowed methods, {@code HEAD} included with {@code GET}.
     */
    private static String allow(String method, String... allowed) {
        List<String> methods = new ArrayList<>();
        for (String candidate : allowed) {
            methods.add(candidate);
            if (candidate.equals("GET")) {
                methods.add("HEAD");
            }
        }
        if (!methods.contains(method)) {
            throw ApiException.methodNotAllowed(method, methods);
        }
        return method.equals("HEAD") ? "GET" : method;
    }
}
