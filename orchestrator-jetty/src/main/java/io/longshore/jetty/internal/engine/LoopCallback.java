package io.longshore.jetty.internal.engine;

import org.eclipse.jetty.util.Callback;

/** A callback Jetty may run on the selector thread itself: it never blocks. */
abstract class LoopCallback implements Callback {
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }
}
