package io.longshore.jetty;

import java.io.IOException;

/**
 * Runs a gateway in front of one backend port for the streaming test's forked JVM, on the
 * transport named by the second argument: prints {@code PORT <n>} once listening and exits when
 * its standard input closes.
 */
public final class StreamingGatewayMain {
    private StreamingGatewayMain() {
    }

    public static void main(String[] args) throws IOException {
        int backendPort = Integer.parseInt(args[0]);
        Transport transport = Transport.valueOf(args[1]);
        try (TestGateway gateway = transport.start(Gateway.builder().maxRequestBodyBytes(Long.MAX_VALUE)
                .router(new RoundRobinTestRouter(backendPort)))) {
            System.out.println("PORT " + gateway.port());
            System.out.println("MAXHEAP " + Runtime.getRuntime().maxMemory());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close stdin
            }
        }
    }
}
