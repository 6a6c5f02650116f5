package io.longshore.testkit;

import io.longshore.api.Endpoint;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.URI;

/**
 * Network checks the contract makes against a replica: does its port accept a connection, what
 * status does a GET answer. Both report failure as a value, so they can sit inside an await.
 * Stateless; thread-safe.
 */
final class RuntimeProbes {
    private static final int TIMEOUT_MILLIS = 1_000;

    /** Whether a TCP connection to {@code endpoint} succeeds. */
    boolean accepts(Endpoint endpoint) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The status of {@code GET http://endpoint/path}, or -1 when nothing answered. */
    int httpStatus(Endpoint endpoint, String path) {
        HttpURLConnection connection = null;
        try {
            URI uri = URI.create("http://" + endpoint.host() + ":" + endpoint.port() + path);
            connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            connection.setConnectTimeout(TIMEOUT_MILLIS);
            connection.setReadTimeout(TIMEOUT_MILLIS);
            connection.setUseCaches(false);
            return connection.getResponseCode();
        } catch (IOException e) {
            return -1;
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }
}
