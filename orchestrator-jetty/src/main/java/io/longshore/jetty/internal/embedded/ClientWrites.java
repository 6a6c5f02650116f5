package io.longshore.jetty.internal.embedded;

import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;

/**
 * Writes to clients' connections that the replica connections' selector thread makes while it
 * handles a round of events, held until the round ends and then made, one per connection.
 *
 * <p>Why: the standalone gateway's HTTP/2 streams are answered from that thread, one replica
 * response at a time, and Jetty's HTTP/2 connection writes each stream's frames at once when
 * nothing else is being written; a round that answers sixteen streams of one connection made
 * sixteen writes. Held, the connection's first write waits for the round's end, the frames of
 * the other streams gather behind it in the connection's flusher, and the round costs that
 * connection two writes, as a proxy that writes once per connection per loop does. A write from
 * any other thread goes through at once. Thread-safe.
 */
public final class ClientWrites {
    private final ArrayDeque<HeldWritesEndPoint> held = new ArrayDeque<>();
    /** Runs a task on the selector's thread before it next waits for events. */
    private volatile Consumer<Runnable> beforeNextWait;
    private volatile Thread selectorThread;
    /** The held writes are being made; a write made meanwhile (the flusher's next) goes at once. */
    private boolean releasing;

    /** {@code endPoint}, with its writes from the replicas' selector thread held to the end of the round. */
    public EndPoint holdingWrites(EndPoint endPoint) {
        return new HeldWritesEndPoint(endPoint, this);
    }

    /** The replica connections' selector, which makes the held writes before it next waits. */
    void selector(ManagedSelector selector) {
        beforeNextWait(task -> selector.submit(ignored -> task.run()));
    }

    /** How the held writes' release is run on the selector's thread before it waits again. */
    void beforeNextWait(Consumer<Runnable> beforeNextWait) {
        this.beforeNextWait = beforeNextWait;
    }

    /** The selector is about to wait for events, on {@code thread}. */
    void selecting(Thread thread) {
        selectorThread = thread;
    }

    /** Whether a write made now is held: made on the selector's thread, not while releasing. */
    boolean holds() {
        return Thread.currentThread() == selectorThread && !releasing;
    }

    /** {@code endPoint} holds a write; the first in a round asks the selector to release them. */
    void hold(HeldWritesEndPoint endPoint) {
        boolean first;
        synchronized (held) {
            first = held.isEmpty();
            held.add(endPoint);
        }
        if (first) {
            beforeNextWait.accept(this::release);
        }
    }

    /** Makes the held writes; on the selector's thread. */
    void release() {
        releasing = true;
        try {
            while (true) {
                HeldWritesEndPoint next;
                synchronized (held) {
                    next = held.poll();
                }
                if (next == null) {
                    return;
                }
                next.release();
            }
        } finally {
            releasing = false;
        }
    }
}
