package io.longshore.jetty.internal.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.longshore.api.Clock;
import io.longshore.jetty.internal.embedded.RequestHosts;
import java.net.URI;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.ContainerLifeCycle;

/**
 * The admin API's operator side, as the admin handler mounts it: the dashboard's files
 * ({@link #handlePublic}, before the bearer-token check: they hold no data) and, behind the
 * check, {@code GET /stream} and the replica actions ({@link #handle}). It also refuses every
 * cross-origin POST a browser sends (another site's form or script aiming at the loopback
 * admin API): the dashboard's buttons post from its own origin, and curl sends no
 * {@code Origin}. A component of the admin handler: its live feed starts and stops with it.
 * Thread-safe.
 */
public final class AdminRoutes extends ContainerLifeCycle {
    private final DashboardAssets assets = new DashboardAssets();
    private final LiveFeed feed;
    private final ReplicaActions actions;
    private final JsonReplies replies;

    /** {@code clock} is the gateway's: the one its request latencies are measured with. */
    public AdminRoutes(List<LiveService> services, Clock clock) {
        ObjectMapper json = new ObjectMapper();
        this.replies = new JsonReplies(json);
        this.feed = new LiveFeed(services, clock, json);
        this.actions = new ReplicaActions(services.stream().map(LiveService::view).toList(), replies);
        addBean(feed);
    }

    /** The dashboard page and its files; false for any other request. */
    public boolean handlePublic(Request request, Response response, Callback callback) {
        return assets.handle(request, response, callback);
    }

    /**
     * {@code /stream}, {@code /replicas/{id}/drain|replace}, and a 403 for any cross-origin
     * POST; false for anything else.
     */
    public boolean handle(Request request, Response response, Callback callback) {
        if (crossOriginPost(request)) {
            replies.error(response, callback, HttpStatus.FORBIDDEN_403,
                    "cross-origin request refused: Origin " + request.getHeaders().get(HttpHeader.ORIGIN));
            return true;
        }
        if ("/stream".equals(request.getHttpURI().getPath())) {
            if (HttpMethod.GET.is(request.getMethod())) {
                feed.subscribe(request, response, callback);
            } else {
                response.getHeaders().put(HttpHeader.ALLOW, HttpMethod.GET.asString());
                replies.error(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "use GET");
            }
            return true;
        }
        return actions.handle(request, response, callback);
    }

    /** A POST whose {@code Origin} (browsers send one) is not the admin connector it came to. */
    static boolean crossOriginPost(Request request) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null || !HttpMethod.POST.is(request.getMethod())) {
            return false;
        }
        String host = RequestHosts.of(request);
        try {
            String authority = URI.create(origin).getRawAuthority();
            return host == null || authority == null || !host.equalsIgnoreCase(authority);
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    /** The live feed (tests drive it). */
    LiveFeed feed() {
        return feed;
    }
}
