package com.example.consumer;

import io.longshore.api.ContainerSpec;
import io.longshore.api.HealthProbe;
import io.longshore.core.Orchestrator;
import io.longshore.core.ProcessRuntime;
import io.longshore.jetty.Gateway;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * What a user's program does with Longshore: two replicas of {@link HelloServer} as local
 * processes, probed over HTTP, behind a gateway on a free port; one request through the gateway.
 * Exits 0 when the answer came from a replica, 1 otherwise.
 */
public final class ConsumerMain {
    private static final Duration READY_WITHIN = Duration.ofSeconds(30);

    private ConsumerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("longshore-consumer");
        ContainerSpec hello = ContainerSpec.builder("hello")
                .command("java", "-cp", System.getProperty("java.class.path"), HelloServer.class.getName())
                .build();
        try (ProcessRuntime runtime = ProcessRuntime.builder()
                     .logDirectory(work.resolve("logs"))
                     .stateDirectory(work.resolve("state"))
                     .build();
             Orchestrator orchestrator = Orchestrator.builder()
                     .service(hello)
                     .runtime(runtime)
                     .basePort(freePort())
                     .minReplicas(2)
                     .maxReplicas(2)
                     .healthProbe(HealthProbe.http("/"))
                     .probeInterval(Duration.ofMillis(200))
                     .build()
                     .start();
             Gateway gateway = Gateway.builder()
                     .port(0)
                     .adminEnabled(false)
                     .route("/", orchestrator)
                     .build()
                     .start()) {
            awaitReady(orchestrator, 2);
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/hello")).build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println("through the gateway: " + response.statusCode() + " " + response.body());
            if (response.statusCode() != 200 || !response.body().startsWith("hello from ")) {
                System.exit(1);
            }
        }
    }

    private static void awaitReady(Orchestrator orchestrator, int replicas) throws InterruptedException {
        Instant deadline = Instant.now().plus(READY_WITHIN);
        while (orchestrator.status().ready() < replicas) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("not ready within " + READY_WITHIN + ": " + orchestrator.status());
            }
            Thread.sleep(100);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
