package io.longshore.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * A runtime executor for the virtual-time tests: runs runtime calls at once, except while
 * holding; then they wait until released (a hung call). Confined to the test's thread.
 */
final class HoldingExecutor implements Executor {
    final List<Runnable> held = new ArrayList<>();
    private boolean holding;

    @Override
    public void execute(Runnable work) {
        if (holding) {
            held.add(work);
        } else {
            work.run();
        }
    }

    void hold() {
        holding = true;
    }

    /** From now on calls run at once; the held ones stay held until {@link #releaseHeld}. */
    void stopHolding() {
        holding = false;
    }

    /** The first held call returns now. */
    void releaseFirst() {
        held.remove(0).run();
    }

    /** The held calls return now. */
    void releaseHeld() {
        List<Runnable> now = new ArrayList<>(held);
        held.clear();
        now.forEach(Runnable::run);
    }
}
