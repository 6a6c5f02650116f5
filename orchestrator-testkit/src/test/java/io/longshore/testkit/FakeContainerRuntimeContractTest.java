package io.longshore.testkit;

import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import java.util.List;
import java.util.Map;

/** The fake runtime keeps the contract every real runtime keeps, except that nothing listens. */
class FakeContainerRuntimeContractTest extends ContainerRuntimeContract {
    private FakeContainerRuntime fake;

    /** The first runtime of a test is fresh; a later one is the successor of the latest (same state). */
    @Override
    protected ContainerRuntime createRuntime() {
        fake = fake == null ? new FakeContainerRuntime() : fake.successor();
        return fake;
    }

    @Override
    protected ContainerSpec servingSpec(String service) {
        return ContainerSpec.builder(service).command("serve").build();
    }

    @Override
    protected void killExternally(String containerId) {
        fake.crash(containerId, 137);
    }

    @Override
    protected boolean isAlive(String containerId) {
        return fake.running().stream().anyMatch(c -> c.id().equals(containerId));
    }

    @Override
    protected boolean servesNetwork() {
        return false;
    }

    /** A fake has no process to kill: its user "dies" by abandoning an instance that started containers. */
    @Override
    protected List<String> startThroughAUserThatDies(String service, List<Endpoint> endpoints,
                                                     Map<String, String> labels) {
        FakeContainerRuntime user = fake.successor();
        List<String> ids = endpoints.stream().map(endpoint -> user.start(servingSpec(service), endpoint, labels).id())
                .toList();
        fake = user;
        return ids;
    }
}
