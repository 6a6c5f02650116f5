package io.longshore.examples.embed;

import io.longshore.api.ContainerSpec;
import io.longshore.api.ScalingPolicy;
import io.longshore.core.HttpHealthProbe;
import io.longshore.core.Orchestrator;
import io.longshore.core.ProcessRuntime;
import io.longshore.examples.acts.H2DatabaseServer;
import io.longshore.jetty.Gateway;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The README's embedding example: the acts service as 1 to 5 local processes on ports 8000,
 * 8001, ..., sharing one H2 database (files in {@code longshore-data/acts-db}), probed every
 * second, scaled by requests, behind a gateway on port 8080 (admin API on 8081). Press Enter to
 * stop; closing stops every replica, then the database. Not a library type; no state.
 */
public final class EmbeddingExample {

    private EmbeddingExample() {
    }

    public static void main(String[] args) throws Exception {
        try (H2DatabaseServer database = H2DatabaseServer.start(Path.of("longshore-data", "acts-db"))) {
            ContainerSpec.Builder acts = ContainerSpec.builder("acts")
                    .command("java", "-cp", System.getProperty("java.class.path"),
                            "io.longshore.examples.acts.ActsMain");
            database.settings().environment().forEach(acts::env);   // every replica uses this database
            run(acts.build());
        }
    }

    private static void run(ContainerSpec acts) throws Exception {
        try (ProcessRuntime runtime = ProcessRuntime.create();
             HttpHealthProbe health = HttpHealthProbe.of("/api/v1/_health");
             Orchestrator orchestrator = Orchestrator.builder()
                     .service(acts)
                     .runtime(runtime)
                     .basePort(8000)
                     .minReplicas(1)
                     .maxReplicas(5)
                     .healthProbe(health)
                     .probeInterval(Duration.ofSeconds(1))
                     .scalingPolicy(ScalingPolicy.requestsPerReplica(20, Duration.ofMinutes(2)))
                     .scalingInterval(Duration.ofMinutes(2))
                     .build()
                     .start();
             Gateway gateway = Gateway.builder()
                     .port(8080)
                     .adminPort(8081)
                     .route("/", orchestrator)
                     .build()
                     .start()) {
            System.out.println("curl http://127.0.0.1:8080/api/v1/categories  (Enter stops)");
            System.in.read();
        }
    }
}
