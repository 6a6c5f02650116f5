package io.longshore.core;

import io.longshore.api.ReplicaState;
import io.longshore.api.Scheduler.Cancellable;
import io.longshore.core.internal.ReplicaBackend;
import java.time.Duration;
import java.time.Instant;

/**
 * One replica (one container on one port) as the control loop tracks it. Mutable and owned
 * by the control loop: never touched from another thread.
 */
final class Replica {
    /** What happens once a replica leaves the routable set for good. */
    enum Exit {
        /** It stays. */
        NONE,
        /** It is stopped and a new replica starts on the same port. */
        REPLACE,
        /** It is stopped and its port freed (scale-in, shutdown). */
        REMOVE
    }

    final String id;
    final int port;
    final ReplicaBackend backend;
    final boolean adopted;

    String containerId = "";
    ReplicaState state = ReplicaState.STARTING;
    Instant startedAt;
    long graceUntilNanos;
    long readySinceNanos;
    boolean everReady;
    boolean lastProbeHealthy;
    int restarts;

    boolean launching;
    boolean stopping;
    Exit exit = Exit.NONE;
    String exitReason = "";
    Duration restartDelay = Duration.ZERO;
    long drainDeadlineNanos;

    int passes;
    int fails;
    boolean probeInFlight;
    long probeGeneration;
    long probeDeadlineNanos;
    Cancellable probeTimeout;

    boolean outlierEjected;
    int ejections;
    Cancellable readmission;

    Replica(String id, int port, ReplicaBackend backend, boolean adopted) {
        this.id = id;
        this.port = port;
        this.backend = backend;
        this.adopted = adopted;
    }

    boolean hasContainer() {
        return !containerId.isEmpty();
    }

    /** Running, not leaving, and not on its way out. */
    boolean inService() {
        return hasContainer() && exit == Exit.NONE && !stopping;
    }

    /** Whether the router may send it traffic outside panic mode. */
    boolean routable() {
        return inService() && state == ReplicaState.READY && !outlierEjected;
    }

    /** The state the admin API shows. */
    ReplicaState viewState() {
        if (exit != Exit.NONE) {
            return ReplicaState.DRAINING;
        }
        if (outlierEjected && state == ReplicaState.READY) {
            return ReplicaState.UNHEALTHY;
        }
        return state;
    }

    ReplicaView view() {
        return new ReplicaView(id, containerId, port, viewState(), lastProbeHealthy,
                backend.requestCount(), backend.inFlight(), startedAt, restarts);
    }

    @Override
    public String toString() {
        return id + "[" + port + ", " + viewState() + (containerId.isEmpty() ? "" : ", " + containerId) + "]";
    }
}
