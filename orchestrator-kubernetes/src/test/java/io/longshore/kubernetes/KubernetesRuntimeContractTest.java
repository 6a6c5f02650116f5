package io.longshore.kubernetes;

import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerSpec;
import io.longshore.testkit.ContainerRuntimeContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The runtime contract against fabric8's mock API server in CRUD mode, with {@link FakeKubelet}
 * running each pod's workload on 127.0.0.1 and the pod's {@code PORT}. The runtime does not wait
 * for its pods to run: every start returns at once and the endpoints come as events, the
 * demanding side of the contract for a runtime that assigns endpoints.
 */
class KubernetesRuntimeContractTest extends ContainerRuntimeContract {
    private static MockCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = new MockCluster();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Override
    protected ContainerRuntime createRuntime() {
        return cluster.runtimeBuilder(cluster.newNamespace()).startWait(Duration.ZERO).build();
    }

    @Override
    protected ContainerSpec servingSpec(String service) {
        return ContainerSpec.builder(service).image("longshore/test-workload:1").build();
    }

    @Override
    protected void killExternally(String containerId) {
        cluster.kubelet().terminate(containerId, 137, "Error");
    }

    @Override
    protected boolean isAlive(String containerId) {
        return cluster.kubelet().isServing(containerId);
    }
}
