package io.longshore.jetty.internal.engine;

/**
 * Moves bytes step by step while steps make progress, and folds a call that comes back in
 * while it runs (a write that completes at once calls back synchronously) into the running
 * loop instead of recursing. Confined to the worker's thread.
 */
abstract class Pump {
    private boolean running;
    private boolean again;

    /** Does one step; true when it made progress and another step may too. */
    abstract boolean step();

    /** Runs when the steps stopped (nothing more can be done now). */
    void paused() {
    }

    final void pump() {
        if (running) {
            again = true;
            return;
        }
        running = true;
        try {
            do {
                again = false;
                while (step()) {
                    // go on while progress is made
                }
            } while (again);
            paused();
        } finally {
            running = false;
        }
    }
}
