package io.longshore.core;

import io.longshore.core.internal.ReplicaBackend;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * The replicas of one orchestrator, one per port at most, in port order. Owned by the
 * control loop; not thread-safe.
 */
final class ReplicaTable {
    private final TreeMap<Integer, Replica> byPort = new TreeMap<>();

    void add(Replica replica) {
        Replica previous = byPort.putIfAbsent(replica.port, replica);
        if (previous != null) {
            throw new IllegalStateException("port " + replica.port + " already holds " + previous);
        }
    }

    /** Removes {@code replica} if it is still the one on its port. */
    boolean remove(Replica replica) {
        return byPort.remove(replica.port, replica);
    }

    boolean contains(Replica replica) {
        return byPort.get(replica.port) == replica;
    }

    Replica atPort(int port) {
        return byPort.get(port);
    }

    Replica byContainer(String containerId) {
        if (containerId.isEmpty()) {
            return null;
        }
        for (Replica replica : byPort.values()) {
            if (replica.containerId.equals(containerId)) {
                return replica;
            }
        }
        return null;
    }

    Replica byBackend(ReplicaBackend backend) {
        for (Replica replica : byPort.values()) {
            if (replica.backend == backend) {
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

    /** Replicas that count towards the desired number: not being removed, in port order. */
    List<Replica> active() {
        List<Replica> active = new ArrayList<>();
        for (Replica replica : byPort.values()) {
            if (replica.exit != Replica.Exit.REMOVE) {
                active.add(replica);
            }
        }
        return active;
    }

    /** The lowest port from {@code basePort} that no replica holds. */
    int lowestFreePort(int basePort) {
        for (int port = basePort; port <= 65_535; port++) {
            if (!byPort.containsKey(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port from " + basePort);
    }

    int readyCount() {
        int ready = 0;
        for (Replica replica : byPort.values()) {
            if (replica.routable()) {
                ready++;
            }
        }
        return ready;
    }

    /**
     * The backends to route to: the routable replicas, or, when fewer than {@code panicPercent}
     * of the replicas in service that were ever ready are routable, all of those (panic mode).
     */
    List<ReplicaBackend> routing(int panicPercent) {
        List<ReplicaBackend> healthy = new ArrayList<>();
        List<ReplicaBackend> pool = new ArrayList<>();
        for (Replica replica : byPort.values()) {
            if (replica.routable()) {
                healthy.add(replica.backend);
            }
            if (replica.inService() && replica.everReady) {
                pool.add(replica.backend);
            }
        }
        boolean panic = !pool.isEmpty() && (long) healthy.size() * 100 < (long) panicPercent * pool.size();
        return panic ? pool : healthy;
    }
}
