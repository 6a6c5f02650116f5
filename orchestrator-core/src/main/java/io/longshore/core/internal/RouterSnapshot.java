package io.longshore.core.internal;

import io.longshore.api.Backend;
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

    /**
     * The snapshot that makes {@code backends} the routable set after this one: each marked
     * leasable and told its position, the sequence one higher. Called by the router's single
     * writer before it publishes the result.
     */
    RouterSnapshot next(List<ReplicaBackend> backends) {
        ReplicaBackend[] next = backends.toArray(new ReplicaBackend[0]);
        for (int i = 0; i < next.length; i++) {
            next[i].setLeasable(true);
            next[i].indexHint(i);
        }
        return new RouterSnapshot(next, sequence + 1);
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

    boolean contains(ReplicaBackend backend) {
        return indexOf(backend) >= 0;
    }

    /** The position of {@code backend} (by identity), or -1 (also for null). */
    int indexOf(Backend backend) {
        if (backend instanceof ReplicaBackend replica) {
            int hint = replica.indexHint();
            if (hint >= 0 && hint < backends.length && backends[hint] == replica) {
                return hint;
            }
        }
        if (backend != null) {
            for (int i = 0; i < backends.length; i++) {
                if (backends[i] == backend) {
                    return i;
                }
            }
        }
        return -1;
    }
}
