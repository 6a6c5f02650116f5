package io.longshore.core;

import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.internal.UserCode;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's stops of containers. A replica's stop runs off the loop; the replica is stopped
 * when it returns, or given up as stopped when the call has not returned within its grace and the
 * stop timeout (a stop still waiting for a runtime thread is not timed); either way it leaves the
 * table. A container no replica takes (left by a start that failed, or that returned too late)
 * is stopped on the calling runtime thread. Loop only, except {@link #stopQuietly} and
 * {@link #stopLeftover}, which any thread may call; not thread-safe.
 */
final class ContainerStops {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaLifecycle.class);

    private final ControlPort control;
    private final ReplicaTable table;
    private final ContainerRuntime runtime;
    private final Duration stopTimeout;
    private final Consumer<Replica> removed;

    /**
     * @param stopTimeout how long past its grace a stop may take before the replica is given up as stopped
     * @param removed     runs on the loop once a stopped replica left the table
     */
    ContainerStops(ControlPort control, ReplicaTable table, ContainerRuntime runtime, Duration stopTimeout,
                   Consumer<Replica> removed) {
        this.control = control;
        this.table = table;
        this.runtime = runtime;
        this.stopTimeout = stopTimeout;
        this.removed = removed;
    }

    /** Asks the runtime to stop the container of {@code replica}, which is {@code STOPPING}, with its stop grace. */
    void stop(Replica replica) {
        String containerId = replica.containerId();
        Duration grace = replica.stopGrace();
        Duration bound = grace.plus(stopTimeout);
        RuntimeAnswer answer = new RuntimeAnswer();
        control.offLoop(() -> {
            control.later(bound, () -> stopTimedOut(replica, bound, answer));
            stopQuietly(containerId, grace);
            if (answer.deliver()) {
                control.post(() -> stopped(replica));
            } else {
                LOG.info("{}: the runtime's stop of container {} returned after replica {} was given up as stopped",
                        control.service(), containerId, replica.id());
            }
        });
    }

    /** {@code replica}, {@code STOPPING}, has nothing left running: it is stopped and leaves the table. */
    void stopped(Replica replica) {
        replica.stopped();
        removed.accept(replica);
    }

    /** Stops {@code containerId} with {@code grace} on this thread, logging a failure. Any thread. */
    void stopQuietly(String containerId, Duration grace) {
        try {
            runtime.stop(containerId, grace);
        } catch (RuntimeException | Error e) {
            UserCode.rethrowIfFatal(e);
            LOG.warn("{}: could not stop container {}", control.service(), containerId, e);
        }
    }

    /** Stops the container a failed start left behind, if its error names one. Any thread. */
    void stopLeftover(Throwable error) {
        if (leavesContainer(error)) {
            stopQuietly(((ContainerRuntimeException) error).containerId(), Duration.ZERO);
        }
    }

    /** Whether a failed start's {@code error} names a container it left behind. */
    static boolean leavesContainer(Throwable error) {
        return error instanceof ContainerRuntimeException failure && failure.containerId() != null;
    }

    private void stopTimedOut(Replica replica, Duration bound, RuntimeAnswer answer) {
        if (!table.contains(replica) || replica.phase() != ReplicaPhase.STOPPING || !answer.giveUp()) {
            return;
        }
        String why = "the runtime's stop did not return within " + bound;
        LOG.warn("{}: {} for container {} of replica {}; given up as stopped", control.service(), why,
                replica.containerId(), replica.id());
        replica.givenUpAsStopped(why);
        removed.accept(replica);
    }
}
