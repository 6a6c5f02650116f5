package io.longshore.jetty;

import java.io.IOException;

/**
 * Runs a gateway in front of one backend port for the streaming test's forked JVM: prints
 * {@code PORT <n>} once listening and exits when its standard input closes.
 */
public final class StreamingGatewayMain {
    private StreamingGatewayMain() {
    }

    public static void main(String[] args) throws IOException {
        int backendPort = Integer.parseInt(args[0]);
        try (Gateway gateway = Gateway.builder().port(0).adminEnabled(false)
                .maxRequestBodyBytes(Long.MAX_VALUE)
                .router(new RoundRobinTestRouter(backendPort)).build().start()) {
            System.out.println("PORT " + gateway.port());
            System.out.println("MAXHEAP " + Runtime.getRuntime().maxMemory());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close stdin
            }
        }
    }
}
