package io.longshore.api;

/**
 * Receives an orchestrator's events, in order, on its control loop. Must not block; a
 * listener that throws is logged and skipped, and the others still receive the event.
 */
@FunctionalInterface
public interface OrchestratorListener {
    void onEvent(OrchestratorEvent event);
}
