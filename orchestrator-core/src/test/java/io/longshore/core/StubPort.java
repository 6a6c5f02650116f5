package io.longshore.core;

import io.longshore.api.Clock;
import io.longshore.api.OrchestratorEvent;
import io.longshore.api.Scheduler.Cancellable;
import io.longshore.testkit.DeterministicScheduler;
import io.longshore.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ControlPort} without a control loop, for testing a replica or one collaborator
 * alone: tasks go to a deterministic scheduler on a manual clock, off-loop work runs at once,
 * and events, user-code failures and routing publications are recorded.
 */
final class StubPort implements ControlPort {
    final ManualClock clock = new ManualClock();
    final DeterministicScheduler scheduler = new DeterministicScheduler(clock);
    final List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
    final List<String> userCodeFailures = new CopyOnWriteArrayList<>();
    int publications;

    @Override
    public String service() {
        return "svc";
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public boolean submit(Runnable task) {
        scheduler.execute(task);
        return true;
    }

    @Override
    public Cancellable later(Duration delay, Runnable task) {
        return scheduler.schedule(task, delay);
    }

    @Override
    public void offLoop(Runnable work) {
        work.run();
    }

    @Override
    public void emit(OrchestratorEvent event) {
        events.add(event);
    }

    @Override
    public void userCodeFailed(String component, String error) {
        userCodeFailures.add(component + ": " + error);
    }

    @Override
    public void publishRouting() {
        publications++;
    }

    /** The names of the events emitted so far, in order. */
    List<String> eventTypes() {
        List<String> types = new ArrayList<>();
        events.forEach(event -> types.add(event.type()));
        return types;
    }
}
