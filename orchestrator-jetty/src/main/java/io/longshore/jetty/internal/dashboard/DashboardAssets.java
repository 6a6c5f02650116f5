package io.longshore.jetty.internal.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The dashboard's files, read once from the jar: {@code GET /} (the page) and
 * {@code GET /dashboard/*} (its script, style sheet and icon). They hold no data, so they load
 * without the bearer token; everything the page then fetches needs it. A content security
 * policy keeps the page to its own origin: no script, style, image or connection elsewhere.
 * Immutable; thread-safe.
 */
final class DashboardAssets {
    /** The page's policy: its own files and its own admin API, nothing else. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final String ROOT = "/io/longshore/jetty/dashboard/";

    private record Asset(byte[] bytes, String contentType) {
    }

    private final Map<String, Asset> assets = new LinkedHashMap<>();

    DashboardAssets() {
        assets.put("/", load("index.html", "text/html; charset=utf-8"));
        assets.put("/dashboard/app.js", load("app.js", "text/javascript; charset=utf-8"));
        assets.put("/dashboard/chart.js", load("chart.js", "text/javascript; charset=utf-8"));
        assets.put("/dashboard/style.css", load("style.css", "text/css; charset=utf-8"));
        assets.put("/dashboard/icon.svg", load("icon.svg", "image/svg+xml"));
    }

    /** Answers a GET or HEAD of one of the files; false for anything else. */
    boolean handle(Request request, Response response, Callback callback) {
        Asset asset = assets.get(request.getHttpURI().getPath());
        boolean get = HttpMethod.GET.is(request.getMethod());
        if (asset == null || !(get || HttpMethod.HEAD.is(request.getMethod()))) {
            return false;
        }
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, asset.contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, asset.bytes().length);
        response.write(true, get ? ByteBuffer.wrap(asset.bytes()) : ByteBuffer.allocate(0), callback);
        return true;
    }

    private static Asset load(String name, String contentType) {
        try (InputStream in = DashboardAssets.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard file " + ROOT + name + " is missing from the jar");
            }
            return new Asset(in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
