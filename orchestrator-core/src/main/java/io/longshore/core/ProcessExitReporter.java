package io.longshore.core;

import io.longshore.api.Clock;
import io.longshore.api.RuntimeEvent;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a {@link ProcessRuntime}'s watchers about exits nobody asked for, from whichever source a
 * replica has: its own {@link Process} (a child of this JVM: at once, with the exit code), its
 * watchdog's (which exits with the replica's code once the runtime, having seen the replica gone
 * through the poller, closes its pipe), or the {@code /proc} poller alone (an adopted replica:
 * exit code -1, unknown). Exits of replicas whose stop was requested are not reported. After
 * {@link #close()} nothing is reported, but a replica under a watchdog that exits is still seen,
 * so that its watchdog reaps it and ends. Thread-safe.
 */
final class ProcessExitReporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRuntime.class);

    private final Clock clock;
    private final ProcessExitWatchers watchers = new ProcessExitWatchers();
    private final ProcessExitPoller poller = new ProcessExitPoller();

    ProcessExitReporter(Clock clock) {
        this.clock = clock;
    }

    AutoCloseable watch(Consumer<RuntimeEvent> listener) {
        return watchers.add(listener);
    }

    /** Starts following {@code replica}'s exit. */
    void follow(ProcessReplica replica) {
        replica.child().ifPresentOrElse(child -> {
            child.onExit().thenAccept(exited -> onChildExit(replica, exited.exitValue()));
            if (replica.underWatchdog()) {
                poller.watch(replica.id(), replica.record().process(), true, replica::releaseWatchdog);
            }
        }, () -> poller.watch(replica.id(), replica.record().process(), false, () -> onAdoptedExit(replica)));
    }

    /** Stops polling for {@code containerId} (its stop was requested). */
    void forget(String containerId) {
        poller.forget(containerId);
    }

    private void onChildExit(ProcessReplica replica, int exitCode) {
        if (replica.underWatchdog()) {
            ProcessTree.killGroup(replica.record().process().pid());
        }
        if (!replica.stopRequested()) {
            LOG.info("{} exited with code {}", replica.id(), exitCode);
            publish(replica, exitCode);
        }
    }

    private void onAdoptedExit(ProcessReplica replica) {
        if (!replica.stopRequested()) {
            LOG.info("adopted {} exited (exit code unknown: not a child of this JVM)", replica.id());
            publish(replica, -1);
        }
    }

    private void publish(ProcessReplica replica, int exitCode) {
        watchers.publish(new RuntimeEvent(replica.id(), RuntimeEvent.Kind.EXITED, exitCode, clock.instant()));
    }

    /**
     * Drops the watchers and closes the poller, which goes on only for replicas under a watchdog
     * still running: when one exits, its watchdog is released to reap it. Idempotent.
     */
    @Override
    public void close() {
        watchers.clear();
        poller.close();
    }
}
