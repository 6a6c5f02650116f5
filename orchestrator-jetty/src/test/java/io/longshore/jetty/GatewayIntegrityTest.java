package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.testkit.RawHttpClient;
import io.longshore.testkit.ScriptedBackend;
import io.longshore.testkit.ScriptedResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every byte arrives, in order, when bodies are larger than the gateway's buffers and the
 * client reads slowly (so writes to it stay pending and bytes wait in the gateway), for
 * fixed-length and chunked responses and for uploads.
 */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayIntegrityTest {
    private static final int SIZE = 6 * 1024 * 1024 + 17;
    @Parameter
    Transport transport;
    private ScriptedBackend backend;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i % 251);
        }
        return bytes;
    }

    private static String sha256(byte[] bytes, int from, int length) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(bytes, from, length);
        return HexFormat.of().formatHex(digest.digest());
    }

    private void start(ScriptedBackend replica) {
        backend = replica;
        gateway = transport.start(Gateway.builder().router(new RoundRobinTestRouter(replica.port())),
                ConnectorSettings.ONE_LOOP);
    }

    /** Reads a whole response through a small receive buffer, a little at a time. */
    private byte[] slowlyRead(String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", gateway.port()));
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            byte[] small = new byte[1024];
            for (int n = in.read(small); n >= 0; n = in.read(small)) {
                all.write(small, 0, n);
            }
            return all.toByteArray();
        }
    }

    private static int bodyStart(byte[] response) {
        for (int i = 3; i < response.length; i++) {
            if (response[i - 3] == '\r' && response[i - 2] == '\n' && response[i - 1] == '\r' && response[i] == '\n') {
                return i + 1;
            }
        }
        throw new AssertionError("no head end");
    }

    @Test
    void largeFixedLengthResponsesArriveWholeAtSlowClientsSharingAWorker() throws Exception {
        byte[] body = pattern(SIZE);
        start(ScriptedBackend.start(request -> ScriptedResponse.status(200).withBody(body)));

        // six at once on one worker: the bytes one client waits for must survive the others' reads
        java.util.List<java.util.concurrent.Future<byte[]>> downloads = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            for (int i = 0; i < 6; i++) {
                downloads.add(clients.submit(() -> slowlyRead("GET /big HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")));
            }
            for (java.util.concurrent.Future<byte[]> download : downloads) {
                byte[] response = download.get(60, java.util.concurrent.TimeUnit.SECONDS);
                int start = bodyStart(response);

                assertThat(response.length - start).isEqualTo(SIZE);
                assertThat(sha256(response, start, SIZE)).isEqualTo(sha256(body, 0, SIZE));
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void aLargeChunkedResponseArrivesWholeAndChunkedAtASlowClient() throws Exception {
        byte[] body = pattern(SIZE);
        start(ScriptedBackend.start(request -> ScriptedResponse.status(200).withBody(body).chunked(7_919)));

        try (RawHttpClient http = new RawHttpClient(gateway.port())) {
            RawHttpClient.Response response = http.send("GET /chunks HTTP/1.1\r\nHost: h\r\n\r\n").read();
            byte[] received = response.body().getBytes(StandardCharsets.ISO_8859_1);

            assertThat(response.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(sha256(received, 0, received.length)).isEqualTo(sha256(body, 0, SIZE));
        }
        byte[] decoded = slowlyRead("GET /chunks HTTP/1.0\r\n\r\n");
        int start = bodyStart(decoded);
        assertThat(sha256(decoded, start, decoded.length - start)).isEqualTo(sha256(body, 0, SIZE));
    }

    @Test
    void aLargeUploadReachesTheReplicaWhole() throws Exception {
        byte[] body = pattern(SIZE);
        start(ScriptedBackend.start(request -> {
            byte[] got = request.bodyBytes();
            return ScriptedResponse.ok(sha256(got, 0, got.length));
        }));

        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /upload HTTP/1.1\r\nHost: h\r\nConnection: close\r\nContent-Length: " + SIZE
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            byte[] answer = socket.getInputStream().readAllBytes();
            String text = new String(answer, StandardCharsets.US_ASCII);

            assertThat(text).startsWith("HTTP/1.1 200").endsWith(sha256(body, 0, SIZE));
        }
    }
}
