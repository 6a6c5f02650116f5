package io.longshore.jetty.internal.embedded;

import org.eclipse.jetty.client.EarlyHintsProtocolHandler;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;

/**
 * Takes every interim (1xx) response a replica sends before its final one, but {@code 101}, off
 * Jetty's client and hands it to its {@link Exchange}, which passes it on as the standalone
 * proxy does; the final response then reaches the attempt's listener as usual. Jetty's own
 * early-hints handler does the waiting for the final response; this one takes 100 and 102 as
 * well. Thread-safe.
 */
final class InterimResponses extends EarlyHintsProtocolHandler {
    static final String NAME = "longshore-interim";
    private static final String STATUS = InterimResponses.class.getName() + ".status";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean accept(Request request, Response response) {
        int status = response.getStatus();
        if (!HttpStatus.isInterim(status) || status == HttpStatus.SWITCHING_PROTOCOLS_101) {
            return false;
        }
        request.attribute(STATUS, status);
        return true;
    }

    @Override
    protected void onEarlyHints(Request request, HttpFields fields) {
        Object exchange = request.getAttributes().get(Exchange.class.getName());
        Object status = request.getAttributes().get(STATUS);
        if (exchange instanceof Exchange owner && status instanceof Integer code) {
            owner.client.passInterim(code, fields);
        }
    }
}
