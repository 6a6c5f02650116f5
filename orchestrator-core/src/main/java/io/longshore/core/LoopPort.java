package io.longshore.core;

import io.longshore.api.Clock;
import io.longshore.api.OrchestratorEvent;
import io.longshore.api.Scheduler;
import io.longshore.api.Scheduler.Cancellable;
import io.longshore.api.internal.UserCode;
import io.longshore.core.internal.FailureReporter;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control loop's {@link ControlPort}: tasks run on its scheduler, each guarded (a task that
 * throws is logged and counted; the loop goes on) and followed by one refresh for all the tasks
 * queued with it; blocking work runs on the runtime executor; events go to the event log. Posting
 * and scheduling are thread-safe; the rest is called on the loop.
 */
final class LoopPort implements ControlPort {
    private static final Logger LOG = LoggerFactory.getLogger(LoopPort.class);

    private final String service;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Executor executor;
    private final EventLog events;
    private final FailureReporter userCode;
    private final Runnable refresh;
    private final Runnable publishRouting;
    private final AtomicInteger failedTasks = new AtomicInteger();
    private final int containerConcurrency;
    private boolean refreshPending;

    /**
     * @param refresh        publishes routing and views; runs on the loop after each batch of tasks
     * @param publishRouting publishes the routing snapshot only, on request
     * @param containerConcurrency the most requests each replica takes at once, 0 for no limit
     */
    LoopPort(String service, Clock clock, Scheduler scheduler, Executor executor, EventLog events,
             Runnable refresh, Runnable publishRouting, int containerConcurrency) {
        this.service = service;
        this.clock = clock;
        this.scheduler = scheduler;
        this.executor = executor;
        this.events = events;
        this.refresh = refresh;
        this.publishRouting = publishRouting;
        this.containerConcurrency = containerConcurrency;
        this.userCode = new FailureReporter(clock, FailureReporter.DEFAULT_INTERVAL, (component, error) ->
                post(() -> emit(new OrchestratorEvent.UserCodeFailed(now(), service, component, error))));
    }

    @Override
    public String service() {
        return service;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public boolean submit(Runnable task) {
        try {
            scheduler.execute(() -> run(task));
            return true;
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: loop closed, task dropped", service);
            return false;
        }
    }

    @Override
    public Cancellable later(Duration delay, Runnable task) {
        try {
            return scheduler.schedule(() -> run(task), delay);
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: loop closed, task dropped", service);
            return () -> { };
        }
    }

    @Override
    public void offLoop(Runnable work) {
        try {
            executor.execute(work);
        } catch (RejectedExecutionException e) {
            LOG.warn("{}: runtime executor refused work", service, e);
        }
    }

    @Override
    public void emit(OrchestratorEvent event) {
        events.emit(event);
    }

    @Override
    public void tell(OrchestratorEvent event) {
        events.tell(event);
    }

    @Override
    public int containerConcurrency() {
        return containerConcurrency;
    }

    @Override
    public void userCodeFailed(String component, String error) {
        userCode.report(component, error);
    }

    @Override
    public void publishRouting() {
        publishRouting.run();
    }

    /** Loop tasks that threw (each is logged as an error; the loop went on): a bug if not 0. */
    int failedTasks() {
        return failedTasks.get();
    }

    private void run(Runnable task) {
        try {
            guarded(task);
        } finally {
            requestRefresh();
        }
    }

    /**
     * Runs {@code task}, logging and counting what it throws. The scheduler is not trusted with
     * it: a {@code ScheduledExecutorService} keeps a task's exception in a future no one reads.
     */
    private void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            failedTasks.incrementAndGet();
            LOG.error("{}: control loop task failed; the loop goes on", service, e);
            UserCode.rethrowIfFatal(e);
        }
    }

    /**
     * Coalesces the refreshes of every task queued now into one that runs after them: a probe
     * round of N replicas posts N completions, and refreshing after each rebuilt N views N times.
     */
    private void requestRefresh() {
        if (refreshPending) {
            return;
        }
        refreshPending = true;
        try {
            scheduler.execute(() -> {
                refreshPending = false;
                guarded(refresh);
            });
        } catch (RejectedExecutionException e) {
            refreshPending = false;
            guarded(refresh);
        }
    }
}
