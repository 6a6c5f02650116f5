package io.longshore.kubernetes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.RuntimeEvent;
import io.longshore.kubernetes.BuilderConfigs;
import io.longshore.kubernetes.KubernetesRuntime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodStatesTest {
    private final Pod created = new PodFactory(BuilderConfigs.of(KubernetesRuntime.builder()), "shop")
            .create(ContainerSpec.builder("acts").image("acts:2").build(), Endpoint.loopback(8003), Map.of());

    private Pod with(String phase, ContainerState state) {
        return new PodBuilder(created).withStatus(new PodStatusBuilder().withPhase(phase).withPodIP("10.1.2.3")
                .addNewContainerStatus().withName("acts").withState(state).endContainerStatus().build()).build();
    }

    private static ContainerState running() {
        return new ContainerStateBuilder().withNewRunning().withStartedAt("2026-01-01T00:00:00Z").endRunning().build();
    }

    private static ContainerState waiting(String reason) {
        return new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage("details").endWaiting().build();
    }

    private static ContainerState terminated(int code, String reason) {
        return new ContainerStateBuilder().withNewTerminated().withExitCode(code).withReason(reason).endTerminated()
                .build();
    }

    @Test
    void aRunningPodServesOnItsIpAndTheContainerPort() {
        Pod pod = with("Running", running());

        assertThat(PodStates.launch(pod)).isEqualTo(new PodStates.Launch.Running(new Endpoint("10.1.2.3", 8003)));
        assertThat(PodStates.running(pod)).isTrue();
        assertThat(PodStates.endpoint(pod)).hasValue(new Endpoint("10.1.2.3", 8003));
        assertThat(PodStates.exit(pod)).isEmpty();
    }

    @Test
    void aPodNotScheduledYetHasNoEndpointAndCountsAsAliveWhileItWaits() {
        assertThat(PodStates.endpoint(created)).isEmpty();
        assertThat(PodStates.running(created)).isTrue();
        assertThat(PodStates.running(with("Failed", terminated(1, "Error")))).isFalse();
        assertThat(PodStates.running(with("Running", terminated(1, "Error")))).isFalse();
        assertThat(PodStates.launch(created)).isEqualTo(new PodStates.Launch.Waiting("not scheduled yet"));
    }

    @Test
    void imagePullErrorsFailTheStartAndBlameTheImage() {
        for (String reason : new String[] {"ErrImagePull", "ImagePullBackOff", "InvalidImageName"}) {
            assertThat(PodStates.launch(with("Pending", waiting(reason))))
                    .isEqualTo(new PodStates.Launch.Failed(reason + ": details", true));
        }
        assertThat(PodStates.launch(with("Pending", waiting("CreateContainerConfigError"))))
                .isEqualTo(new PodStates.Launch.Failed("CreateContainerConfigError: details", false));
    }

    @Test
    void aContainerStillBeingCreatedKeepsTheStartWaitingWithItsReason() {
        assertThat(PodStates.launch(with("Pending", waiting("ContainerCreating"))))
                .isEqualTo(new PodStates.Launch.Waiting("ContainerCreating: details"));
    }

    @Test
    void anUnschedulablePodWaitsWithTheSchedulersMessage() {
        Pod pod = new PodBuilder(created).withStatus(new PodStatusBuilder().withPhase("Pending")
                .withConditions(new PodConditionBuilder().withType("PodScheduled").withStatus("False")
                        .withReason("Unschedulable").withMessage("0/3 nodes are available: 3 Insufficient cpu.").build())
                .build()).build();

        assertThat(PodStates.pendingReason(pod)).isEqualTo("Unschedulable: 0/3 nodes are available: 3 Insufficient cpu.");
    }

    @Test
    void aContainerThatExitsBeforeRunningFailsTheStart() {
        assertThat(PodStates.launch(with("Failed", terminated(2, "Error"))))
                .isEqualTo(new PodStates.Launch.Failed("its container exited with code 2 (Error) as it started", false));
    }

    @Test
    void exitsCarryTheCodeAndOomKillsAreToldApart() {
        assertThat(PodStates.exit(with("Failed", terminated(3, "Error")))).hasValueSatisfying(exit -> {
            assertThat(exit.kind()).isEqualTo(RuntimeEvent.Kind.EXITED);
            assertThat(exit.exitCode()).isEqualTo(3);
        });
        assertThat(PodStates.exit(with("Failed", terminated(137, "OOMKilled")))).hasValueSatisfying(exit -> {
            assertThat(exit.kind()).isEqualTo(RuntimeEvent.Kind.OOM_KILLED);
            assertThat(exit.exitCode()).isEqualTo(137);
            assertThat(exit.reason()).isEqualTo("killed for memory");
        });
    }

    @Test
    void anEvictionAndADeletionBySomeoneElseAreExitsMarkedAsEvictions() {
        Pod evicted = new PodBuilder(with("Failed", terminated(137, "Error"))).editStatus().withReason("Evicted")
                .withMessage("The node was low on resource: memory.").endStatus().build();
        Pod deleting = new PodBuilder(with("Running", running())).editMetadata()
                .withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata().build();

        assertThat(PodStates.exit(evicted)).hasValueSatisfying(exit -> {
            assertThat(exit.evicted()).isTrue();
            assertThat(exit.reason()).isEqualTo("Evicted: The node was low on resource: memory.");
        });
        assertThat(PodStates.exit(deleting)).hasValueSatisfying(exit -> {
            assertThat(exit.evicted()).isTrue();
            assertThat(exit.exitCode()).isEqualTo(-1);
        });
        assertThat(PodStates.running(deleting)).isFalse();
    }

    @Test
    void theStartTimeComesFromTheStatusElseTheCreation() {
        Pod started = new PodBuilder(created).withStatus(new PodStatusBuilder().withStartTime("2026-03-04T05:06:07Z")
                .build()).build();
        Pod createdOnly = new PodBuilder(created).editMetadata().withCreationTimestamp("2026-01-02T03:04:05Z")
                .endMetadata().build();

        assertThat(PodStates.startedAt(started, Instant.EPOCH)).isEqualTo(Instant.parse("2026-03-04T05:06:07Z"));
        assertThat(PodStates.startedAt(createdOnly, Instant.EPOCH)).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(PodStates.startedAt(created, Instant.EPOCH)).isEqualTo(Instant.EPOCH);
    }
}
