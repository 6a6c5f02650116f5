package io.longshore.jetty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * A replica for tunnel tests on raw sockets: it takes one connection, answers its upgrade
 * request with {@code 101} to a raw protocol, reads the client's bytes to their end and then, if
 * it {@code answers}, sends {@code got:} and those bytes back and closes; otherwise it holds the
 * connection open and silent until closed. A hook may run once it has read the request, before
 * its 101. Close it after the test.
 */
final class RawUpgradeReplica implements AutoCloseable {
    /** The upgrade request a client sends it through the gateway. */
    static final String UPGRADE = "GET /raw HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: raw\r\n\r\n";

    private final ServerSocket server;
    private final CountDownLatch released = new CountDownLatch(1);

    private RawUpgradeReplica(boolean answers, Runnable beforeSwitch) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread serving = new Thread(() -> serve(answers, beforeSwitch), "raw-replica");
        serving.setDaemon(true);
        serving.start();
    }

    static RawUpgradeReplica start(boolean answers) throws IOException {
        return new RawUpgradeReplica(answers, () -> { });
    }

    /** As {@link #start(boolean)}, running {@code beforeSwitch} once the request is read, before the 101 goes. */
    static RawUpgradeReplica start(boolean answers, Runnable beforeSwitch) throws IOException {
        return new RawUpgradeReplica(answers, beforeSwitch);
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve(boolean answers, Runnable beforeSwitch) {
        try (Socket socket = server.accept()) {
            InputStream in = socket.getInputStream();
            head(in);
            beforeSwitch.run();
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: raw\r\nConnection: Upgrade\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] received = in.readAllBytes();
            if (answers) {
                out.write(("got:" + new String(received, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } else {
                released.await();
            }
        } catch (IOException | InterruptedException e) {
            // the test ended
        }
    }

    /** Reads a head up to its blank line and returns it. */
    static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed in the head: " + head);
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        released.countDown();
        server.close();
    }
}
