package io.longshore.core;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.ResourceStats;
import io.longshore.api.RuntimeEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** A runtime that passes every call to another; tests override the call they change. */
class DelegatingRuntime implements ContainerRuntime {
    private final ContainerRuntime delegate;

    DelegatingRuntime(ContainerRuntime delegate) {
        this.delegate = delegate;
    }

    @Override
    public ContainerInfo start(ContainerSpec spec, Endpoint endpoint, Map<String, String> labels) {
        return delegate.start(spec, endpoint, labels);
    }

    @Override
    public void stop(String containerId, Duration grace) {
        delegate.stop(containerId, grace);
    }

    @Override
    public List<ContainerInfo> list(Map<String, String> labels) {
        return delegate.list(labels);
    }

    @Override
    public AutoCloseable watch(Consumer<RuntimeEvent> listener) {
        return delegate.watch(listener);
    }

    @Override
    public Optional<ResourceStats> stats(String containerId) {
        return delegate.stats(containerId);
    }

    @Override
    public String name() {
        return delegate.name();
    }
}
