package io.longshore.testkit;

import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerSpec;

/** The fake runtime keeps the contract every real runtime keeps, except that nothing listens. */
class FakeContainerRuntimeContractTest extends ContainerRuntimeContract {
    private FakeContainerRuntime fake;

    @Override
    protected ContainerRuntime createRuntime() {
        fake = new FakeContainerRuntime();
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
}
