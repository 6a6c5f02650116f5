package io.longshore.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longshore.kubernetes.internal.Backoff;
import io.longshore.kubernetes.internal.KubernetesRuntimeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class KubernetesRuntimeBuilderTest {
    private final KubernetesRuntimeBuilder builder = KubernetesRuntime.builder();

    private static void refused(Executable call, String message) {
        assertThatThrownBy(call::execute).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void namesAreCheckedAsKubernetesWouldCheckThem() {
        refused(() -> builder.namespace("Shop"), "namespace must be a DNS label");
        refused(() -> builder.namespace(" "), "namespace must not be blank");
        refused(() -> builder.serviceAccount("runner_1"), "serviceAccount must be a DNS subdomain");
        refused(() -> builder.nodeSelector("pool", "big pool"), "nodeSelector: label pool='big pool'");
        refused(() -> builder.nodeSelector("-pool", "x"), "nodeSelector: label key '-pool'");
        refused(() -> builder.context(""), "context must not be blank");
    }

    @Test
    void tolerationsFollowThePodSpecsRules() {
        refused(() -> builder.toleration("k", "Above", "v", ""), "operator must be Equal or Exists");
        refused(() -> builder.toleration("k", "Equal", "v", "Sometimes"), "effect must be NoSchedule");
        refused(() -> builder.toleration("k", "Exists", "v", ""), "Exists takes no value");
        refused(() -> builder.toleration("", "Equal", "v", ""), "Equal needs a key");
        refused(() -> builder.toleration("dedicated pool", "Equal", "web", ""),
                "toleration key 'dedicated pool' is not a valid Kubernetes label key");
        refused(() -> builder.toleration("dedicated", "Equal", "web tier", ""),
                "toleration value 'web tier' is not a valid Kubernetes label value");
        assertThat(builder.toleration("", "Exists", "", "").toleration("k", "Equal", "v", "NoExecute")).isSameAs(builder);
    }

    @Test
    void durationsMustBePositiveAndTheBackoffOrdered() {
        refused(() -> builder.pendingTimeout(Duration.ZERO), "pendingTimeout must be positive");
        refused(() -> builder.connectTimeout(Duration.ofSeconds(-1)), "connectTimeout must be positive");
        refused(() -> builder.requestTimeout(null), "requestTimeout must be positive");
        refused(() -> builder.reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)),
                "reconnect max (PT1S) must be >= initial (PT2S)");
    }

    @Test
    void theClusterIsGivenOneWayOnly(@TempDir Path dir) throws Exception {
        Path kubeconfig = Files.writeString(dir.resolve("config"), "apiVersion: v1\nkind: Config\n");
        refused(() -> builder.masterUrl("ftp://cluster"), "masterUrl must be an http:// or https:// URL");
        refused(() -> builder.kubeconfig(dir.resolve("missing")), "is not a readable file");

        refused(() -> KubernetesRuntime.builder().kubeconfig(kubeconfig).masterUrl("https://cluster:6443").build(),
                "kubeconfig and masterUrl are exclusive");
        refused(() -> KubernetesRuntime.builder().context("kind").masterUrl("https://cluster:6443").build(),
                "context selects a kubeconfig context");
    }

    @Test
    void aPodOverlayIsReadAndCheckedWhenGiven(@TempDir Path dir) throws Exception {
        refused(() -> builder.podOverlay(dir.resolve("missing.yaml")), "cannot read podOverlay file");
        refused(() -> builder.podOverlay("kind: Deployment"), "must be a Pod");
        Path overlay = Files.writeString(dir.resolve("overlay.yaml"), "spec:\n  priorityClassName: low\n");

        assertThat(builder.podOverlay(overlay).config().overlay().toString()).contains("priorityClassName");
    }

    @Test
    void theDefaultsAreTheDocumentedConstants() {
        KubernetesRuntimeConfig config = builder.config();

        assertThat(config.pendingTimeout()).isEqualTo(KubernetesRuntimeBuilder.DEFAULT_PENDING_TIMEOUT)
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(config.connectTimeout()).isEqualTo(KubernetesRuntimeBuilder.DEFAULT_CONNECT_TIMEOUT);
        assertThat(config.requestTimeout()).isEqualTo(KubernetesRuntimeBuilder.DEFAULT_REQUEST_TIMEOUT);
        assertThat(config.reconnect()).isEqualTo(new Backoff(KubernetesRuntimeBuilder.DEFAULT_RECONNECT_INITIAL,
                KubernetesRuntimeBuilder.DEFAULT_RECONNECT_MAX));
        assertThat(config.namespace()).isNull();
        assertThat(config.serviceAccount()).isNull();
        assertThat(config.nodeSelector()).isEmpty();
        assertThat(config.tolerations()).isEmpty();
    }
}
