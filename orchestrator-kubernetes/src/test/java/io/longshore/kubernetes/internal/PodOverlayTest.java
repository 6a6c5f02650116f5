package io.longshore.kubernetes.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.kubernetes.BuilderConfigs;
import io.longshore.kubernetes.KubernetesRuntime;
import io.longshore.kubernetes.KubernetesRuntimeBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodOverlayTest {
    private static final String OVERLAY = """
            apiVersion: v1
            kind: Pod
            metadata:
              labels:
                team: ledger
                io.longshore.managed: "false"
              annotations:
                prometheus.io/scrape: "true"
            spec:
              restartPolicy: Always
              priorityClassName: replicas
              securityContext:
                runAsNonRoot: true
              tolerations:
              - key: spot
                operator: Exists
                effect: NoSchedule
              volumes:
              - name: cache
                emptyDir: {}
              containers:
              - name: acts
                image: overlay/ignored:1
                env:
                - name: LOG_LEVEL
                  value: debug
                - name: PORT
                  value: "1"
                volumeMounts:
                - name: cache
                  mountPath: /cache
              - name: log-shipper
                image: fluent/fluent-bit:3
            """;

    private final ContainerSpec spec = ContainerSpec.builder("acts").image("acts:2").env("DB", "h2").build();

    private Pod pod(String overlay) {
        KubernetesRuntimeBuilder builder = KubernetesRuntime.builder().podOverlay(overlay)
                .toleration("dedicated", "Equal", "longshore", "NoSchedule");
        return new PodFactory(BuilderConfigs.of(builder), "shop").create(spec, Endpoint.loopback(8000), Map.of("role", "a"));
    }

    @Test
    void theOverlaySuppliesWhatTheRuntimeDoesNotSet() {
        Pod pod = pod(OVERLAY);

        assertThat(pod.getSpec().getPriorityClassName()).isEqualTo("replicas");
        assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSpec().getVolumes()).extracting("name").containsExactly("cache");
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("prometheus.io/scrape", "true");
        assertThat(pod.getMetadata().getLabels()).containsEntry("team", "ledger").containsEntry("role", "a");
    }

    @Test
    void theReplicaContainerIsFirstAndMergesTheOverlaysContainerOfItsNameWhileOthersBecomeSidecars() {
        List<Container> containers = pod(OVERLAY).getSpec().getContainers();

        assertThat(containers).extracting(Container::getName).containsExactly("acts", "log-shipper");
        Container replica = containers.get(0);
        assertThat(replica.getVolumeMounts()).extracting("mountPath").containsExactly("/cache");
        assertThat(replica.getEnv()).extracting(EnvVar::getName).containsExactly("PORT", "HOST", "DB", "LOG_LEVEL");
    }

    @Test
    void whereBothSetAFieldTheRuntimesValueWins() {
        Pod pod = pod(OVERLAY);
        Container replica = pod.getSpec().getContainers().get(0);

        assertThat(replica.getImage()).isEqualTo("acts:2");
        assertThat(replica.getEnv()).filteredOn(e -> e.getName().equals("PORT")).extracting(EnvVar::getValue)
                .containsExactly("8000");
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getMetadata().getLabels()).containsEntry(KubernetesRuntime.MANAGED_LABEL, "true");
        assertThat(pod.getMetadata().getName()).startsWith("acts-8000-");
    }

    @Test
    void tolerationsOfTheOverlayAndOfTheBuilderAreBothKept() {
        assertThat(pod(OVERLAY).getSpec().getTolerations()).extracting("key").containsExactly("spot", "dedicated");
    }

    @Test
    void aJsonOverlayOrAPodTemplateWorksLikeYaml() {
        Pod fromJson = pod("{\"spec\": {\"priorityClassName\": \"low\"}}");
        Pod fromTemplate = pod("""
                kind: PodTemplate
                template:
                  spec:
                    priorityClassName: high
                """);

        assertThat(fromJson.getSpec().getPriorityClassName()).isEqualTo("low");
        assertThat(fromTemplate.getSpec().getPriorityClassName()).isEqualTo("high");
    }

    @Test
    void anOverlayThatIsNoPodIsRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> PodOverlay.parse("kind: Service\nspec: {}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kind Service");
        assertThatThrownBy(() -> PodOverlay.parse("status:\n  phase: Running"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not 'status'");
        assertThatThrownBy(() -> PodOverlay.parse("- just\n- a list"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one Pod manifest");
        assertThatThrownBy(() -> PodOverlay.parse("spec: [unclosed"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("podOverlay");
        assertThatThrownBy(() -> PodOverlay.parse("spec:\n  containers: 3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not describe a pod");
    }
}
