package io.longshore.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * A runtime executor for the virtual-time tests: runs runtime calls at once, except while
 * holding, when they wait until released (a call that never got a runtime thread, or that never
 * returns), or one call on a thread of its own. Called on the test's thread.
 */
final class HoldingExecutor implements Executor {
    final List<Runnable> held = new ArrayList<>();
    private boolean holding;
    private boolean nextOnThread;

    @Override
    public void execute(Runnable work) {
        if (nextOnThread) {
            nextOnThread = false;
            Thread thread = new Thread(work, "test-runtime-call");
            thread.setDaemon(true);
            thread.start();
        } else if (holding) {
            held.add(work);
        } else {
            work.run();
        }
    }

    /** The next call runs on a thread of its own, where it may block (a call that began and hangs). */
    void nextOnThread() {
        nextOnThread = true;
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
