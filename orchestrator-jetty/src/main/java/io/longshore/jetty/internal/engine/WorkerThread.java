package io.longshore.jetty.internal.engine;

import java.util.concurrent.Executor;
import org.eclipse.jetty.io.ManagedSelector;

/**
 * The executor of one worker's selector: the first task it gets (the selector's loop) runs on
 * a new thread of its own, and every later task runs on that thread, at once when it comes
 * from that thread and as a selector update otherwise. So nothing a worker does ever waits in
 * a thread pool. Thread-safe.
 */
final class WorkerThread implements Executor {
    private final String name;
    private volatile Thread thread;
    private volatile ManagedSelector selector;

    WorkerThread(String name) {
        this.name = name;
    }

    /** The selector whose updates carry tasks from other threads. */
    void selector(ManagedSelector selector) {
        this.selector = selector;
    }

    /**
     * Runs {@code task} on this thread in the selector's next round, even when called from this
     * thread: for work that must not run inside what the caller is doing (a wake from the waiting
     * line, called while the caller reports a lease).
     */
    void later(Runnable task) {
        ManagedSelector target = selector;
        if (target == null || thread == null || !thread.isAlive()) {
            execute(task);
        } else {
            target.submit(ignored -> task.run());
        }
    }

    @Override
    public void execute(Runnable task) {
        Thread current = thread;
        if (current == null) {
            synchronized (this) {
                if (thread == null) {
                    Thread started = new Thread(task, name);
                    started.setDaemon(true);
                    thread = started;
                    started.start();
                    return;
                }
            }
            current = thread;
        }
        ManagedSelector target = selector;
        if (Thread.currentThread() == current || target == null || !current.isAlive()) {
            task.run();
        } else {
            target.submit(ignored -> task.run());
        }
    }
}
