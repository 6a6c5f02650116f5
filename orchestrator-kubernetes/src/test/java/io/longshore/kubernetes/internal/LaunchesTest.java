package io.longshore.kubernetes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.kubernetes.BuilderConfigs;
import io.longshore.kubernetes.KubernetesRuntime;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Each start has exactly one outcome, and a pod the runtime gives up on is marked as its own stop. */
class LaunchesTest {
    private final RecentNames requestedStops = new RecentNames();
    private final Launches launches = new Launches(requestedStops);
    private final Pod created = new PodFactory(BuilderConfigs.of(KubernetesRuntime.builder()), "shop")
            .create(ContainerSpec.builder("acts").image("acts:1").build(), Endpoint.loopback(8000), Map.of());
    private final String name = created.getMetadata().getName();

    private Pod running() {
        return new PodBuilder(created).withStatus(new PodStatusBuilder().withPhase("Running").withPodIP("10.0.0.7")
                .addNewContainerStatus().withName("acts").withState(new ContainerStateBuilder().withNewRunning()
                        .endRunning().build()).endContainerStatus().build()).build();
    }

    @Test
    void aRunningPodSettlesTheLaunchWithItsEndpointAndTheDeadlineCannotUndoIt() {
        CompletableFuture<PodStates.Launch> launch = launches.begin(name);

        launches.changed(running(), false);

        assertThat(launch).isCompletedWithValue(new PodStates.Launch.Running(new Endpoint("10.0.0.7", 8000)));
        assertThat(launches.launching(name)).isFalse();
        assertThat(launches.expire(name, launch, new PodStates.Launch.Waiting("late"))).isFalse();
        assertThat(requestedStops.contains(name)).isFalse();
    }

    @Test
    void aPendingPodKeepsTheLaunchOpenAndTheDeadlineEndsItAsTheRuntimesOwnStop() {
        CompletableFuture<PodStates.Launch> launch = launches.begin(name);
        launches.changed(created, false);
        assertThat(launch).isNotDone();

        assertThat(launches.expire(name, launch, new PodStates.Launch.Waiting("Unschedulable"))).isTrue();

        assertThat(launch).isCompletedWithValue(new PodStates.Launch.Waiting("Unschedulable"));
        assertThat(requestedStops.contains(name)).isTrue();
        launches.changed(running(), false);
        assertThat(launch.join()).isInstanceOf(PodStates.Launch.Waiting.class);
    }

    @Test
    void aPodDeletedBeforeItRanFailsTheLaunchAndIsMarkedAsTheRuntimesOwnStop() {
        CompletableFuture<PodStates.Launch> launch = launches.begin(name);

        launches.gone(name, created);

        assertThat(launch.join()).isInstanceOf(PodStates.Launch.Failed.class);
        assertThat(requestedStops.contains(name)).isTrue();
    }

    @Test
    void anAbandonedLaunchIsSettledByNothing() {
        CompletableFuture<PodStates.Launch> launch = launches.begin(name);

        launches.abandon(name);
        launches.changed(running(), false);

        assertThat(launches.expire(name, launch, new PodStates.Launch.Waiting("late"))).isFalse();
        assertThat(launch).isNotDone();
        assertThat(requestedStops.contains(name)).isFalse();
    }
}
