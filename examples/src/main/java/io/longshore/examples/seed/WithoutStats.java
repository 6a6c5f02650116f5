package io.longshore.examples.seed;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.ResourceStats;
import io.longshore.api.RuntimeEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A runtime that reports no resource stats and otherwise delegates. The seed's autoscaler
 * counts requests only, so the seed main does not need CPU readings; a Docker stats call takes
 * about 1.5 s per container, and the orchestrator samples them before each scaling decision,
 * which delays the decision past the start of its request window. Thread-safe as the delegate.
 */
final class WithoutStats implements ContainerRuntime {
    private final ContainerRuntime delegate;

    WithoutStats(ContainerRuntime delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
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
        return Optional.empty();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return delegate + " (without stats)";
    }
}
