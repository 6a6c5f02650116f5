package io.longshore.kubernetes.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.kubernetes.BuilderConfigs;
import io.longshore.kubernetes.KubernetesRuntime;
import io.longshore.kubernetes.KubernetesRuntimeBuilder;
import io.longshore.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodFactoryTest {
    private final ManualClock clock = new ManualClock();
    private final ContainerSpec spec = ContainerSpec.builder("Acts_API").image("registry.example/acts:2")
            .command("--verbose", "--db", "h2")
            .env("DB_URL", "jdbc:h2:tcp://db/acts").env("PORT", "1")
            .label("team", "ledger")
            .memoryBytes(256L * 1024 * 1024).cpus(0.5)
            .stopGrace(Duration.ofMillis(2500))
            .pullPolicy(ContainerSpec.PullPolicy.ALWAYS)
            .build();

    private PodFactory factory(KubernetesRuntimeBuilder builder) {
        return new PodFactory(BuilderConfigs.of(builder), "shop");
    }

    private Pod pod(KubernetesRuntimeBuilder builder) {
        return factory(builder).create(spec, Endpoint.loopback(8001), Map.of("io.longshore.replica", "acts-8001-1"));
    }

    @Test
    void aPodRunsTheSpecsImageWithItsCommandAsArgumentsAndPortFromTheReplicasEndpoint() {
        Pod pod = pod(KubernetesRuntime.builder().clock(clock));
        Container container = pod.getSpec().getContainers().get(0);

        assertThat(pod.getMetadata().getName()).startsWith("acts-api-8001-");
        assertThat(pod.getMetadata().getNamespace()).isEqualTo("shop");
        assertThat(container.getName()).isEqualTo("acts-api");
        assertThat(container.getImage()).isEqualTo("registry.example/acts:2");
        assertThat(container.getCommand()).isNullOrEmpty();
        assertThat(container.getArgs()).containsExactly("--verbose", "--db", "h2");
        assertThat(container.getImagePullPolicy()).isEqualTo("Always");
        assertThat(container.getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getContainerPort()).isEqualTo(8001);
        });
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(3L);
    }

    @Test
    void theEnvironmentCarriesTheRuntimesPortAndHostBesideTheSpecsVariables() {
        List<EnvVar> env = pod(KubernetesRuntime.builder().clock(clock)).getSpec().getContainers().get(0).getEnv();

        assertThat(env).extracting(EnvVar::getName, EnvVar::getValue).containsExactly(
                org.assertj.core.groups.Tuple.tuple("PORT", "8001"),
                org.assertj.core.groups.Tuple.tuple("HOST", "0.0.0.0"),
                org.assertj.core.groups.Tuple.tuple("DB_URL", "jdbc:h2:tcp://db/acts"));
    }

    @Test
    void aSpecsContainerPortWinsOverTheReplicasPortAndASpecsHostIsKept() {
        ContainerSpec bridged = spec.toBuilder().containerPort(8080).env("HOST", "::").build();
        Pod pod = factory(KubernetesRuntime.builder().clock(clock))
                .create(bridged, Endpoint.loopback(8001), Map.of());

        Container container = pod.getSpec().getContainers().get(0);
        assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(8080);
        assertThat(container.getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
                .contains(org.assertj.core.groups.Tuple.tuple("PORT", "8080"),
                        org.assertj.core.groups.Tuple.tuple("HOST", "::"))
                .extracting(t -> t.toArray()[0]).containsOnlyOnce("HOST");
    }

    @Test
    void cpuAndMemoryBecomeEqualRequestsAndLimits() {
        Container container = pod(KubernetesRuntime.builder().clock(clock)).getSpec().getContainers().get(0);

        Map<String, Quantity> expected = Map.of("cpu", new Quantity("500m"), "memory", new Quantity("268435456"));
        assertThat(container.getResources().getRequests()).isEqualTo(expected);
        assertThat(container.getResources().getLimits()).isEqualTo(expected);
    }

    @Test
    void aSpecWithoutLimitsGetsNoResources() {
        ContainerSpec unlimited = ContainerSpec.builder("acts").image("acts:1").build();
        Pod pod = factory(KubernetesRuntime.builder()).create(unlimited, Endpoint.loopback(8000), Map.of());

        assertThat(pod.getSpec().getContainers().get(0).getResources()).isNull();
    }

    @Test
    void labelsAreTheSpecsPlusTheCallersPlusTheManagedLabel() {
        Pod pod = pod(KubernetesRuntime.builder().clock(clock));

        assertThat(pod.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "team", "ledger", "io.longshore.replica", "acts-8001-1", KubernetesRuntime.MANAGED_LABEL, "true"));
    }

    @Test
    void theRuntimesServiceAccountNodeSelectorAndTolerationsGoOnEveryPod() {
        Pod pod = pod(KubernetesRuntime.builder().clock(clock).serviceAccount("acts-runner")
                .nodeSelector("pool", "replicas")
                .toleration("dedicated", "Equal", "longshore", "NoSchedule")
                .toleration("", "Exists", "", ""));

        assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("acts-runner");
        assertThat(pod.getSpec().getNodeSelector()).isEqualTo(Map.of("pool", "replicas"));
        assertThat(pod.getSpec().getTolerations()).hasSize(2);
        assertThat(pod.getSpec().getTolerations().get(0).getKey()).isEqualTo("dedicated");
        assertThat(pod.getSpec().getTolerations().get(0).getValue()).isEqualTo("longshore");
        assertThat(pod.getSpec().getTolerations().get(0).getEffect()).isEqualTo("NoSchedule");
        assertThat(pod.getSpec().getTolerations().get(1).getOperator()).isEqualTo("Exists");
        assertThat(pod.getSpec().getTolerations().get(1).getKey()).isNull();
    }

    @Test
    void twoPodsOnTheSamePortAtTheSameInstantGetDifferentNames() {
        PodFactory factory = factory(KubernetesRuntime.builder().clock(clock));

        String first = factory.create(spec, Endpoint.loopback(8001), Map.of()).getMetadata().getName();
        String second = factory.create(spec, Endpoint.loopback(8001), Map.of()).getMetadata().getName();

        assertThat(first).isNotEqualTo(second);
        assertThat(List.of(first, second)).allMatch(name -> name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"));
    }

    @Test
    void aLabelKubernetesWouldRejectIsRefusedWithItsName() {
        ContainerSpec badLabel = spec.toBuilder().label("owner", "Jane Doe").build();

        assertThatThrownBy(() -> factory(KubernetesRuntime.builder()).create(badLabel, Endpoint.loopback(8000), Map.of()))
                .isInstanceOf(ContainerRuntimeException.class)
                .hasMessageContaining("owner='Jane Doe'");
    }
}
