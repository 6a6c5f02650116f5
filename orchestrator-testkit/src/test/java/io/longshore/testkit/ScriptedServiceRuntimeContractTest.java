package io.longshore.testkit;

import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerSpec;

/** The scripted service keeps the contract every runtime keeps, its replicas serving on their ports. */
class ScriptedServiceRuntimeContractTest extends ContainerRuntimeContract {
    private ScriptedServiceRuntime runtime;

    @Override
    protected ContainerRuntime createRuntime() {
        runtime = ScriptedServiceRuntime.answering("healthy");
        return runtime;
    }

    @Override
    protected ContainerSpec servingSpec(String service) {
        return ContainerSpec.builder(service).command("serve").build();
    }

    @Override
    protected void killExternally(String containerId) {
        runtime.crash(containerId, 137);
    }

    @Override
    protected boolean isAlive(String containerId) {
        return runtime.running().stream().anyMatch(c -> c.id().equals(containerId));
    }
}
