package io.longshore.core.internal;

import io.longshore.api.Backend;
import java.util.Arrays;
import java.util.List;

/**
 * The backends a router may lease at one moment, in port order, with a sequence number that
 * grows with each publication. Immutable.
 */
final class RouterSnapshot {
    static final RouterSnapshot EMPTY = new RouterSnapshot(new ReplicaBackend[0], 0);

    private final ReplicaBackend[] backends;
    private final List<Backend> candidates;
    private final long sequence;

    RouterSnapshot(ReplicaBackend[] backends, long sequence) {
        this.backends = backends.clone();
        this.candidates = List.of(this.backends);
        this.sequence = sequence;
    }

    List<Backend> candidates() {
        return candidates;
    }

    long sequence() {
        return sequence;
    }

    int size() {
        return backends.length;
    }

    boolean isEmpty() {
        return backends.length == 0;
    }

    ReplicaBackend get(int index) {
        return backends[index];
    }

    /** The candidate that is {@code backend} (by identity), or {@code null}. */
    ReplicaBackend find(Backend backend) {
        if (backend instanceof ReplicaBackend replica) {
            int hint = replica.indexHint();
            if (hint >= 0 && hint < backends.length && backends[hint] == replica) {
                return replica;
            }
        }
        for (ReplicaBackend candidate : backends) {
            if (candidate == backend) {
                return candidate;
            }
        }
        return null;
    }

    boolean contains(ReplicaBackend backend) {
        return find(backend) != null;
    }

    /** This snapshot's backends without {@code excluded}, in a new snapshot of the same sequence. */
    RouterSnapshot without(ReplicaBackend excluded) {
        ReplicaBackend[] rest = Arrays.stream(backends).filter(b -> b != excluded).toArray(ReplicaBackend[]::new);
        return new RouterSnapshot(rest, sequence);
    }
}
