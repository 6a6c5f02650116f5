package io.longshore.jetty;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpCookieStore;

/** Backends, a closed port and a raw-ish HTTP client for gateway tests. */
final class TestSupport {
    private TestSupport() {
    }

    static WireMockServer wireMock() {
        WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
                .containerThreads(16).jettyAcceptors(1).asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(4));
        server.start();
        return server;
    }

    /** A loopback port nothing listens on (it was free a moment ago). */
    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A test client that sends headers exactly as given and follows nothing. */
    static HttpClient client() {
        HttpClient client = new HttpClient();
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setUserAgentField(null);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        client.getContentDecoderFactories().clear();
        return client;
    }

    static Request to(HttpClient client, TestGateway gateway, String pathAndQuery) {
        return client.newRequest("http://127.0.0.1:" + gateway.port() + pathAndQuery);
    }

    /** Writes {@code request} on a new connection to {@code port} and reads until the gateway closes it. */
    static String exchangeToClose(int port, String request) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    static void stop(HttpClient client) {
        try {
            client.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The lower of two consecutive free loopback ports in the gateway's test range 23100-23999, for
     * an orchestrator whose replicas listen on the ports it picks.
     */
    static int twoFreePorts() {
        for (int port = 23_100; port < 23_990; port += 2) {
            if (free(port) && free(port + 1)) {
                return port;
            }
        }
        throw new IllegalStateException("no two consecutive free ports in 23100-23990");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
