package io.longshore.jetty.internal.engine;

import java.io.IOException;
import java.nio.channels.Selector;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;

/** A Jetty selector whose blocking waits go through a {@link BusyPoll}. */
final class BusyPollingSelector extends ManagedSelector {
    private final BusyPoll poll;

    BusyPollingSelector(SelectorManager manager, int id, BusyPoll poll) {
        super(manager, id);
        this.poll = poll;
    }

    @Override
    protected int nioSelect(Selector selector, boolean now) throws IOException {
        return now ? selector.selectNow() : poll.select(selector);
    }
}
