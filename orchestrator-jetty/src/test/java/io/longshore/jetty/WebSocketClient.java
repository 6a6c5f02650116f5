package io.longshore.jetty;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One WebSocket through the JDK's {@code java.net.http.WebSocket}, collecting whole messages
 * (text as strings, binary as byte arrays) and how it ended: the close code the peer sent, or
 * the error that broke it. Thread-safe.
 */
final class WebSocketClient {
    /** The code recorded when the connection broke without a close frame. */
    static final int BROKEN = -1;
    private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> ended = new CompletableFuture<>();
    private final WebSocket socket;

    private WebSocketClient(HttpClient http, URI uri) {
        this.socket = http.newWebSocketBuilder().buildAsync(uri, new Collector()).join();
    }

    static WebSocketClient open(HttpClient http, int port, String path) {
        return new WebSocketClient(http, URI.create("ws://127.0.0.1:" + port + path));
    }

    /** A socket to {@code uri}, {@code ws:} or {@code wss:} (then {@code http} carries the TLS context). */
    static WebSocketClient open(HttpClient http, URI uri) {
        return new WebSocketClient(http, uri);
    }

    static CompletableFuture<WebSocketClient> openAsync(HttpClient http, int port, String path) {
        return CompletableFuture.supplyAsync(() -> open(http, port, path));
    }

    WebSocket socket() {
        return socket;
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    void send(byte[] binary) {
        socket.sendBinary(ByteBuffer.wrap(binary), true).join();
    }

    /** The next whole message (a String or a byte[]), waiting up to 30 s. */
    Object next() throws InterruptedException {
        Object message = messages.poll(30, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no message within 30 s");
        }
        return message;
    }

    /** Completes with the close code the peer sent, or {@link #BROKEN}. */
    CompletableFuture<Integer> ended() {
        return ended;
    }

    private final class Collector implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                messages.add(binary.toByteArray());
                binary = new java.io.ByteArrayOutputStream();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ended.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ended.complete(BROKEN);
        }
    }
}
