package io.longshore.jetty.internal.embedded;

import io.longshore.jetty.internal.policy.GatewayReply;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The error handler of a Jetty server the gateway runs itself (its HTTP/2 front end): a request
 * Jetty refuses before the proxy handler sees it (a stream whose {@code host} field is not
 * {@code host[:port]}) gets the answer the handler gives a refused head, and its access-log line,
 * so that every request the gateway answers is logged. Other errors keep Jetty's own page.
 * Thread-safe.
 */
public final class ServerRefusals extends ErrorHandler {
    private final EmbeddedProxy proxy;

    public ServerRefusals(EmbeddedProxy proxy) {
        this.proxy = proxy;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        GatewayReply reply = GatewayReply.forParseError(statusOf(request));
        if (reply.status() != statusOf(request)) {
            return super.handle(request, response, callback);
        }
        proxy.logRefusal(request, reply);
        Replies.send(response, callback, reply, false);
        return true;
    }

    private static int statusOf(Request request) {
        return request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer status ? status : 500;
    }
}
