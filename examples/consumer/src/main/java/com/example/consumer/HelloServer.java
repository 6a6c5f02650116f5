package com.example.consumer;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** The service the consumer orchestrates: answers every path with "hello from PORT" on 127.0.0.1:$PORT. */
public final class HelloServer {

    private HelloServer() {
    }

    public static void main(String[] args) throws IOException {
        // The JDK's server writes the head and the body of a response apart; with Nagle's algorithm
        // on (its default), the body waits 40 ms or more for the gateway's delayed ACK of the head.
        System.getProperties().putIfAbsent("sun.net.httpserver.nodelay", "true");
        int port = Integer.parseInt(System.getenv("PORT"));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", exchange -> {
            byte[] body = ("hello from " + port).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }
}
