package io.longshore.core;

import io.longshore.api.OrchestratorEvent;
import java.util.List;

/** Placeholder until the control loop lands (work in progress on the core branch). */
final class DefaultOrchestrator implements Orchestrator {
    private final OrchestratorConfig config;

    DefaultOrchestrator(OrchestratorConfig config) {
        this.config = config;
    }

    @Override
    public Orchestrator start() {
        throw new IllegalStateException("control loop not implemented yet");
    }

    @Override
    public void close() {
    }

    @Override
    public String service() {
        return config.service().service();
    }

    @Override
    public Router router() {
        throw new IllegalStateException("router not implemented yet");
    }

    @Override
    public List<ReplicaView> replicas() {
        return List.of();
    }

    @Override
    public OrchestratorStatus status() {
        throw new IllegalStateException("not implemented yet");
    }

    @Override
    public int scaleTo(int replicas) {
        throw new IllegalStateException("not implemented yet");
    }

    @Override
    public List<OrchestratorEvent> recentEvents(int limit) {
        return List.of();
    }
}
