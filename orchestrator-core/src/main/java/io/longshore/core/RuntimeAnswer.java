package io.longshore.core;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who settles one runtime call first: its answer, delivered to the loop, or its timeout, which
 * gives the call up. The thread of a call given up deals with what it returns late itself (a
 * start's container is stopped there, a list or stop is ignored), so nothing depends on the
 * loop or the runtime executor still running. Thread-safe.
 */
final class RuntimeAnswer {
    private final AtomicInteger state = new AtomicInteger();

    /** The call returned: true if its answer goes to the loop, false if it was given up. */
    boolean deliver() {
        return state.compareAndSet(0, 1);
    }

    /** The timeout came first: true if the call is given up now, false if its answer is on its way. */
    boolean giveUp() {
        return state.compareAndSet(0, 2);
    }
}
