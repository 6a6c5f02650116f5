package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longshore.api.ConfigurationException;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.testkit.FakeContainerRuntime;
import io.longshore.testkit.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OrchestratorBuilderTest {
    private final OrchestratorBuilder builder = Orchestrator.builder()
            .service(ContainerSpec.builder("svc").command("serve").build())
            .runtime(new FakeContainerRuntime());

    @Test
    void everyDefaultIsThePublicConstantThatDocumentsIt() {
        OrchestratorConfig config = builder.config();

        assertThat(config.minReplicas()).isEqualTo(OrchestratorBuilder.DEFAULT_MIN_REPLICAS);
        assertThat(config.maxReplicas()).isEqualTo(OrchestratorBuilder.DEFAULT_MAX_REPLICAS);
        assertThat(config.initialReplicas()).isEqualTo(OrchestratorBuilder.DEFAULT_MIN_REPLICAS);
        assertThat(config.host()).isEqualTo(OrchestratorBuilder.DEFAULT_HOST);
        assertThat(config.basePort()).isEqualTo(OrchestratorBuilder.DEFAULT_BASE_PORT);
        assertThat(config.probeInterval()).isEqualTo(OrchestratorBuilder.DEFAULT_PROBE_INTERVAL);
        assertThat(config.probeTimeout()).isEqualTo(OrchestratorBuilder.DEFAULT_PROBE_INTERVAL);
        assertThat(config.rise()).isEqualTo(OrchestratorBuilder.DEFAULT_RISE);
        assertThat(config.fall()).isEqualTo(OrchestratorBuilder.DEFAULT_FALL);
        assertThat(config.startGrace()).isEqualTo(OrchestratorBuilder.DEFAULT_START_GRACE);
        assertThat(config.scalingInterval()).isEqualTo(OrchestratorBuilder.DEFAULT_SCALING_INTERVAL);
        assertThat(config.drainTimeout()).isEqualTo(OrchestratorBuilder.DEFAULT_DRAIN_TIMEOUT);
        assertThat(config.restartBackoffInitial()).isEqualTo(OrchestratorBuilder.DEFAULT_RESTART_BACKOFF_INITIAL);
        assertThat(config.restartBackoffMax()).isEqualTo(OrchestratorBuilder.DEFAULT_RESTART_BACKOFF_MAX);
        assertThat(config.restartBackoffReset()).isEqualTo(OrchestratorBuilder.DEFAULT_RESTART_BACKOFF_RESET);
        assertThat(config.stopReplicasOnClose()).isEqualTo(OrchestratorBuilder.DEFAULT_STOP_REPLICAS_ON_CLOSE);
        assertThat(config.shutdownTimeout()).isEqualTo(OrchestratorBuilder.DEFAULT_SHUTDOWN_TIMEOUT);
        assertThat(config.outlierDetection()).isEqualTo(OutlierDetection.defaults());
        assertThat(config.strategy()).hasToString("round-robin");
        assertThat(config.probe()).hasToString("tcp");
        assertThat(config.scalingPolicy()).hasToString("fixed(1)");
    }

    @Test
    void settersNameTheBadArgumentAndBuildChecksTheSettingsTogether() {
        assertThatThrownBy(() -> builder.rise(0)).hasMessageContaining("rise");
        assertThatThrownBy(() -> builder.probeInterval(Duration.ZERO)).hasMessageContaining("probeInterval");
        assertThatThrownBy(() -> builder.basePort(70_000)).hasMessageContaining("basePort");
        assertThatThrownBy(() -> builder.minReplicas(3).maxReplicas(2).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("must not exceed maxReplicas");
    }

    @Test
    void buildRefusesAServiceWhoseRolloutSurgePortsRunPast65535() {
        assertThatThrownBy(() -> builder.basePort(65_530).maxReplicas(5).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("basePort (65530) + maxReplicas (5) + a rollout's surge of 2 needs ports up to"
                        + " 65536, past 65535");

        assertThat(builder.basePort(65_529).config().lastPort()).as("65529..65533 and the surge ports 65534, 65535")
                .isEqualTo(65_535);
        assertThat(builder.basePort(65_531).rollout(RolloutConfig.builder().maxSurge(0).maxUnavailable(1).build())
                .config().lastPort()).as("a rollout without surge takes no port above the others").isEqualTo(65_535);
    }

    @Test
    void theCheckHoldsOnARuntimeThatAssignsEndpointsTooSinceItsSlotsAreTheProposedEndpointsPorts() {
        OrchestratorBuilder assigning = Orchestrator.builder()
                .service(ContainerSpec.builder("svc").command("serve").build())
                .runtime(FakeContainerRuntime.assigningEndpoints(new ManualClock(), n -> new Endpoint("10.0.0." + n, 8080)));

        assertThatThrownBy(() -> assigning.basePort(65_530).maxReplicas(5).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("needs ports up to 65536");
        assertThat(assigning.basePort(8000).maxReplicas(5).config().lastPort()).isEqualTo(8006);
    }

    @Test
    void outlierDetectionDerivesVariantsWithToBuilder() {
        OutlierDetection strict = OutlierDetection.defaults().toBuilder().consecutiveFailures(2)
                .panicThresholdPercent(0).build();

        assertThat(strict.consecutiveFailures()).isEqualTo(2);
        assertThat(strict.panicThresholdPercent()).isZero();
        assertThat(strict.baseEjection()).isEqualTo(OutlierDetection.DEFAULT_BASE_EJECTION);
        assertThat(strict.toBuilder().build()).isEqualTo(strict);
        assertThat(OutlierDetection.builder().build()).isEqualTo(OutlierDetection.defaults());
        assertThat(OutlierDetection.disabled().toBuilder().enabled(true).build()).isEqualTo(OutlierDetection.defaults());
    }

    @Test
    void outlierDetectionsBuilderNamesTheBadArgumentAndChecksTheEjectionBounds() {
        OutlierDetection.Builder b = OutlierDetection.builder();
        assertThatThrownBy(() -> b.consecutiveFailures(0)).hasMessageContaining("consecutiveFailures");
        assertThatThrownBy(() -> b.maxEjectedPercent(101)).hasMessageContaining("maxEjectedPercent");
        assertThatThrownBy(() -> b.panicThresholdPercent(-1)).hasMessageContaining("panicThresholdPercent");
        assertThatThrownBy(() -> b.baseEjection(Duration.ofSeconds(-1))).hasMessageContaining("baseEjection");
        assertThatThrownBy(() -> b.baseEjection(Duration.ofMinutes(10)).maxEjection(Duration.ofMinutes(1)).build())
                .hasMessageContaining("maxEjection must be >= baseEjection");
    }
}
