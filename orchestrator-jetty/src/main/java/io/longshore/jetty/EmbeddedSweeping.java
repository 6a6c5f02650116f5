package io.longshore.jetty;

import io.longshore.jetty.internal.embedded.EmbeddedProxy;
import io.longshore.jetty.internal.metrics.ReplicaSeriesSweeper;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * Runs an embedded gateway's {@link ReplicaSeriesSweeper} while its proxy handler runs, on the
 * scheduler the handler forwards with (the host server's): a bean of the handler, so the host
 * server starts and stops it with the handler, and the gateway adds no thread to the host.
 */
final class EmbeddedSweeping extends AbstractLifeCycle {
    private final ReplicaSeriesSweeper sweeper;
    private final EmbeddedProxy proxy;

    EmbeddedSweeping(ReplicaSeriesSweeper sweeper, EmbeddedProxy proxy) {
        this.sweeper = sweeper;
        this.proxy = proxy;
    }

    @Override
    protected void doStart() {
        sweeper.start(JettyTimer.of(proxy.scheduler()));
    }

    @Override
    protected void doStop() {
        sweeper.stop();
    }
}
