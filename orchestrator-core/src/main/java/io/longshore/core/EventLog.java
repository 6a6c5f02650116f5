package io.longshore.core;

import io.longshore.api.Clock;
import io.longshore.api.OrchestratorEvent;
import io.longshore.api.OrchestratorListener;
import io.longshore.api.internal.UserCode;
import io.longshore.core.internal.FailureReporter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to the listeners, each guarded (a listener that throws is skipped; its
 * failures are logged and recorded as {@code UserCodeFailed}, rate-limited), and keeps the newest {@code capacity} of them for {@link #recent(int)}.
 * {@link #emit} is called on the control loop; {@link #recent} from any thread. Thread-safe.
 */
final class EventLog {
    /** How many events {@link Orchestrator#recentEvents} can return. */
    static final int DEFAULT_CAPACITY = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);

    private final int capacity;
    private final List<OrchestratorListener> listeners;
    private final ArrayDeque<OrchestratorEvent> ring;
    private final FailureReporter failures;

    EventLog(int capacity, List<OrchestratorListener> listeners, Clock clock, String service) {
        this.capacity = capacity;
        this.listeners = List.copyOf(listeners);
        this.ring = new ArrayDeque<>(capacity);
        this.failures = new FailureReporter(clock, FailureReporter.DEFAULT_INTERVAL,
                (component, error) -> record(new OrchestratorEvent.UserCodeFailed(clock.instant(), service, component, error)));
    }

    void emit(OrchestratorEvent event) {
        LOG.debug("{}", event);
        record(event);
        tell(event);
    }

    /** Gives {@code event} to the listeners without keeping it for {@link #recent}. */
    void tell(OrchestratorEvent event) {
        for (OrchestratorListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException | Error e) {
                UserCode.rethrowIfFatal(e);
                LOG.debug("listener {} failed on {}; skipped", UserCode.name(listener), event.type(), e);
                failures.report("listener " + UserCode.name(listener), e);
            }
        }
    }

    /** Keeps {@code event} without telling the listeners. */
    synchronized void record(OrchestratorEvent event) {
        if (ring.size() == capacity) {
            ring.removeFirst();
        }
        ring.addLast(event);
    }

    /** The newest events first, at most {@code limit}. */
    synchronized List<OrchestratorEvent> recent(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, was " + limit);
        }
        List<OrchestratorEvent> newestFirst = new ArrayList<>(Math.min(limit, ring.size()));
        Iterator<OrchestratorEvent> it = ring.descendingIterator();
        while (it.hasNext() && newestFirst.size() < limit) {
            newestFirst.add(it.next());
        }
        return List.copyOf(newestFirst);
    }
}
