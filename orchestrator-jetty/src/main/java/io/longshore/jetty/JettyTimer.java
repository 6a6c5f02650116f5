package io.longshore.jetty;

import io.longshore.api.Scheduler;
import java.util.concurrent.TimeUnit;

/** A Jetty scheduler the gateway already runs, seen as a Longshore {@link Scheduler}. Stateless. */
final class JettyTimer {
    private JettyTimer() {
    }

    /** Tasks on {@code jetty}, in its real time; a task planned after it stopped never runs. */
    static Scheduler of(org.eclipse.jetty.util.thread.Scheduler jetty) {
        return (task, delay) -> {
            org.eclipse.jetty.util.thread.Scheduler.Task planned = jetty.schedule(task, delay.toNanos(),
                    TimeUnit.NANOSECONDS);
            return planned::cancel;
        };
    }
}
