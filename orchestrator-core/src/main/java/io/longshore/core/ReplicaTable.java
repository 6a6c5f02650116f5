package io.longshore.core;

import io.longshore.core.internal.ReplicaBackend;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * The replicas of one orchestrator, one per port slot at most, in port order, and the ids of
 * new ones. Owned by the control loop and lent to its collaborators; not thread-safe.
 */
final class ReplicaTable {
    private final String service;
    private final TreeMap<Integer, Replica> byPort = new TreeMap<>();
    private long sequence;

    ReplicaTable(String service) {
        this.service = service;
    }

    /**
     * A fresh replica id for {@code port}: {@code <service>-<port>-<n>}, {@code n} one more than the
     * last id made here or {@link #continueAfter continued} from.
     */
    String nextId(int port) {
        return service + "-" + port + "-" + (++sequence);
    }

    /**
     * Makes new ids follow {@code id} (a replica id a previous orchestrator gave, found at start),
     * so that ids stay unique across orchestrators. Ids of another form are ignored.
     */
    void continueAfter(String id) {
        int dash = id.lastIndexOf('-');
        if (dash < 0 || !id.startsWith(service + "-")) {
            return;
        }
        try {
            sequence = Math.max(sequence, Long.parseLong(id.substring(dash + 1)));
        } catch (NumberFormatException e) {
            // not one of ours
        }
    }

    void add(Replica replica) {
        Replica previous = byPort.putIfAbsent(replica.port(), replica);
        if (previous != null) {
            throw new IllegalStateException("port " + replica.port() + " already holds " + previous);
        }
    }

    /** Removes {@code replica} if it is still the one on its port. */
    boolean remove(Replica replica) {
        return byPort.remove(replica.port(), replica);
    }

    boolean contains(Replica replica) {
        return byPort.get(replica.port()) == replica;
    }

    Replica atPort(int port) {
        return byPort.get(port);
    }

    Replica byId(String id) {
        for (Replica replica : byPort.values()) {
            if (replica.id().equals(id)) {
                return replica;
            }
        }
        return null;
    }

    Replica byContainer(String containerId) {
        if (containerId.isEmpty()) {
            return null;
        }
        for (Replica replica : byPort.values()) {
            if (replica.containerId().equals(containerId)) {
                return replica;
            }
        }
        return null;
    }

    Replica byBackend(ReplicaBackend backend) {
        for (Replica replica : byPort.values()) {
            if (replica.backend() == backend) {
                return replica;
            }
        }
        return null;
    }

    /** Every replica, in port order (a copy: callers may change the table while iterating). */
    List<Replica> all() {
        return new ArrayList<>(byPort.values());
    }

    Collection<Replica> values() {
        return byPort.values();
    }

    boolean isEmpty() {
        return byPort.isEmpty();
    }

    /**
     * Replicas that count towards the desired number, in port order: all but those leaving for
     * good (a replica being replaced counts, its successor will take its port).
     */
    List<Replica> active() {
        List<Replica> active = new ArrayList<>();
        for (Replica replica : byPort.values()) {
            if (replica.departure() == null || replica.departure().replace()) {
                active.add(replica);
            }
        }
        return active;
    }

    /** The lowest port in {@code basePort..lastPort} that no replica holds; -1 when every one is held. */
    int lowestFreePort(int basePort, int lastPort) {
        for (int port = basePort; port <= lastPort; port++) {
            if (!byPort.containsKey(port)) {
                return port;
            }
        }
        return -1;
    }

    /** Replicas that are READY (passing their probes and not ejected). */
    int readyCount() {
        int ready = 0;
        for (Replica replica : byPort.values()) {
            if (replica.phase() == ReplicaPhase.READY) {
                ready++;
            }
        }
        return ready;
    }

    /** The replicas whose endpoint is known, as the candidate filter sees them, in port order. */
    List<Candidate> candidates() {
        List<Candidate> candidates = new ArrayList<>(byPort.size());
        for (Replica replica : byPort.values()) {
            if (replica.backend() != null) {
                candidates.add(Candidate.of(replica.backend(), condition(replica.phase()), replica.readySinceNanos()));
            }
        }
        return candidates;
    }

    private static Candidate.Condition condition(ReplicaPhase phase) {
        return switch (phase) {
            case READY -> Candidate.Condition.READY;
            case EJECTED -> Candidate.Condition.EJECTED;
            case UNHEALTHY -> Candidate.Condition.UNHEALTHY;
            case DRAINING, STOPPING, STOPPED -> Candidate.Condition.LEAVING;
            default -> Candidate.Condition.STARTING;
        };
    }

    /** The backends of every replica whose endpoint is known. */
    List<ReplicaBackend> backends() {
        List<ReplicaBackend> backends = new ArrayList<>(byPort.size());
        for (Replica replica : byPort.values()) {
            if (replica.backend() != null) {
                backends.add(replica.backend());
            }
        }
        return backends;
    }
}
