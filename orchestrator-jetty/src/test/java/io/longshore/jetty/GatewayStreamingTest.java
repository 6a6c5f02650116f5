package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 200 MB each way through a gateway whose JVM has a 128 MB heap: only streaming can pass.
 * The backend generates and consumes bytes without storing them.
 */
@ParameterizedClass
@EnumSource(Transport.class)
class GatewayStreamingTest {
    private static final long SIZE = 200L * 1024 * 1024;
    private static Server backend;
    private static int backendPort;
    private static HttpClient client;
    @Parameter
    Transport transport;

    @BeforeAll
    static void startBackend() throws Exception {
        backend = new Server();
        ServerConnector connector = new ServerConnector(backend);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        backend.addConnector(connector);
        backend.setHandler(new StreamingBackend());
        backend.start();
        backendPort = connector.getLocalPort();
        client = TestSupport.client();
    }

    @AfterAll
    static void stopBackend() throws Exception {
        TestSupport.stop(client);
        backend.stop();
    }

    @Test
    void streams200MegabytesUpAndDownThroughAGatewayWithA128MegabyteHeap(@TempDir Path dir) throws Exception {
        Path stderr = dir.resolve("gateway.err");
        Process gateway = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), StreamingGatewayMain.class.getName(),
                Integer.toString(backendPort), transport.name())
                .redirectError(stderr.toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
            int port = Integer.parseInt(out.readLine().substring("PORT ".length()));
            long maxHeap = Long.parseLong(out.readLine().substring("MAXHEAP ".length()));

            ContentResponse upload = client.newRequest("http://127.0.0.1:" + port + "/upload").method(HttpMethod.POST)
                    .body(new InputStreamRequestContent(new GeneratedStream(SIZE))).timeout(120, TimeUnit.SECONDS).send();
            long downloaded = download(port);

            assertThat(maxHeap).isLessThanOrEqualTo(128L * 1024 * 1024);
            assertThat(upload.getStatus()).isEqualTo(200);
            assertThat(upload.getContentAsString()).isEqualTo("received " + SIZE);
            assertThat(downloaded).isEqualTo(SIZE);
            assertThat(gateway.isAlive()).isTrue();
            assertThat(Files.readString(stderr)).doesNotContain("OutOfMemoryError");
        } finally {
            gateway.getOutputStream().close();
            if (!gateway.waitFor(10, TimeUnit.SECONDS)) {
                gateway.destroyForcibly();
            }
        }
    }

    private static long download(int port) throws Exception {
        InputStreamResponseListener listener = new InputStreamResponseListener();
        client.newRequest("http://127.0.0.1:" + port + "/download").send(listener);
        Response response = listener.get(30, TimeUnit.SECONDS);
        assertThat(response.getStatus()).isEqualTo(200);
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = listener.getInputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
            }
        }
        return total;
    }

    /** Consumes uploads (answering with their size) and generates downloads, storing nothing. */
    private static final class StreamingBackend extends Handler.Abstract {
        @Override
        public boolean handle(Request request, org.eclipse.jetty.server.Response response, Callback callback)
                throws Exception {
            if (request.getHttpURI().getPath().equals("/upload")) {
                long total = 0;
                byte[] buffer = new byte[64 * 1024];
                try (InputStream in = Request.asInputStream(request)) {
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        total += n;
                    }
                }
                Content.Sink.write(response, true, "received " + total, callback);
                return true;
            }
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, SIZE);
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                byte[] block = new byte[64 * 1024];
                for (long sent = 0; sent < SIZE; sent += block.length) {
                    out.write(block);
                }
            }
            callback.succeeded();
            return true;
        }
    }

    /** {@code size} bytes made up on the fly. */
    private static final class GeneratedStream extends InputStream {
        private long remaining;

        GeneratedStream(long size) {
            this.remaining = size;
        }

        @Override
        public int read() {
            if (remaining <= 0) {
                return -1;
            }
            remaining--;
            return 'u';
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            java.util.Arrays.fill(b, off, off + n, (byte) 'u');
            remaining -= n;
            return n;
        }
    }
}
