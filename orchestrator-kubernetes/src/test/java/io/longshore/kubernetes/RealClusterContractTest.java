package io.longshore.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerSpec;
import io.longshore.testkit.ContainerRuntimeContract;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The runtime contract against a real cluster, run only with {@code -Dlongshore.kubeconfig=FILE}:
 * <pre>
 * mvn -B -pl orchestrator-kubernetes -am verify -Dtest=RealClusterContractTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dlongshore.kubeconfig=$HOME/.kube/config
 * </pre>
 * Optional: {@code -Dlongshore.kubernetes.namespace} (default: the kubeconfig context's),
 * {@code -Dlongshore.kubernetes.image} (default {@value #DEFAULT_IMAGE}; any image with a busybox
 * {@code sh}, {@code httpd} and {@code touch}), {@code -Dlongshore.kubernetes.podNetwork=true} when
 * this machine reaches pod IPs (then the network checks run too). The kubeconfig's user needs the
 * Role of {@code manifests/rbac.yaml} plus {@code pods/exec} (the test kills a replica from inside).
 */
@EnabledIfSystemProperty(named = "longshore.kubeconfig", matches = ".+",
        disabledReason = "no cluster: pass -Dlongshore.kubeconfig=FILE to run the contract against one")
class RealClusterContractTest extends ContainerRuntimeContract {
    static final String DEFAULT_IMAGE = "busybox:1.36";
    /** Serves the health path with busybox httpd on $PORT, then runs until /tmp/die appears and exits with 3. */
    private static final String WORKLOAD = "mkdir -p /www/api/v1 && echo ok > /www/api/v1/_health"
            + " && httpd -p \"$PORT\" -h /www && while [ ! -e /tmp/die ]; do sleep 0.2; done; exit 3";

    private static KubernetesClient client;
    private static String namespace;

    @BeforeAll
    static void connect() {
        Path kubeconfig = Path.of(System.getProperty("longshore.kubeconfig"));
        Config config = Config.fromKubeconfig(kubeconfig.toFile());
        client = new KubernetesClientBuilder().withConfig(config).build();
        namespace = System.getProperty("longshore.kubernetes.namespace",
                config.getNamespace() == null ? "default" : config.getNamespace());
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            client.close();
        }
    }

    @Override
    protected ContainerRuntime createRuntime() {
        return KubernetesRuntime.builder().kubeconfig(Path.of(System.getProperty("longshore.kubeconfig")))
                .namespace(namespace).build();
    }

    @Override
    protected ContainerSpec servingSpec(String service) {
        return ContainerSpec.builder(service).image(System.getProperty("longshore.kubernetes.image", DEFAULT_IMAGE))
                .command("sh", "-c", WORKLOAD).stopGrace(Duration.ofSeconds(2)).build();
    }

    @Override
    protected void killExternally(String containerId) {
        Pod pod = client.pods().inNamespace(namespace).withName(containerId).get();
        String container = pod.getSpec().getContainers().get(0).getName();
        try (ExecWatch exec = client.pods().inNamespace(namespace).withName(containerId).inContainer(container)
                .exec("touch", "/tmp/die")) {
            exec.exitCode().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make pod " + containerId + " exit through exec", e);
        }
    }

    @Override
    protected boolean isAlive(String containerId) {
        Pod pod = client.pods().inNamespace(namespace).withName(containerId).get();
        return pod != null && pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null
                && !"Failed".equals(pod.getStatus().getPhase()) && !"Succeeded".equals(pod.getStatus().getPhase())
                && pod.getStatus().getContainerStatuses().stream().limit(1)
                        .noneMatch(status -> status.getState() != null && status.getState().getTerminated() != null);
    }

    @Override
    protected boolean servesNetwork() {
        return Boolean.getBoolean("longshore.kubernetes.podNetwork");
    }

    @Override
    protected Duration awaitTimeout() {
        return Duration.ofSeconds(90);
    }
}
