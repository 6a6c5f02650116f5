package io.longshore.jetty.internal.embedded;

import io.longshore.api.Backend;
import io.longshore.jetty.internal.policy.GatewayReply;
import io.longshore.jetty.internal.policy.WaitingRequest;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The embedded transport's side of the waiting line for one {@link Exchange} (the line's rules are
 * {@link WaitingRequest}'s): the request waits holding no thread; the line's wake leases again on
 * the host server's thread pool, Jetty's scheduler ends the wait after the line's time, and a
 * leased replica is sent the request. Thread-safe: it only hands over.
 */
final class Waiting implements WaitingRequest.Transport {
    private final Exchange exchange;
    private final Executor executor;
    private final Scheduler scheduler;

    Waiting(Exchange exchange, Executor executor, Scheduler scheduler) {
        this.exchange = exchange;
        this.executor = executor;
        this.scheduler = scheduler;
    }

    @Override
    public void resume(Runnable task) {
        executor.execute(task);
    }

    @Override
    public Runnable waitStarted(Runnable timeout, long maxWaitMillis) {
        Scheduler.Task timer = scheduler.schedule(timeout, maxWaitMillis, TimeUnit.MILLISECONDS);
        return timer::cancel;
    }

    @Override
    public void leased(Backend backend, long nowNanos) {
        exchange.send(backend);
    }

    @Override
    public void reply(GatewayReply reply) {
        exchange.end.reply(reply);
    }
}
