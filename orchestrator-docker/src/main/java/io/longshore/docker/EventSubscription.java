package io.longshore.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.EventsCmd;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import io.longshore.api.Clock;
import io.longshore.api.RuntimeEvent;
import java.io.Closeable;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watcher's subscription to the engine's {@code die} events of containers this runtime
 * manages, translated by {@link DieEventTranslator} ({@code oom} events are not asked for: the
 * kernel OOM-kills single processes, and the container may live on). When the stream breaks or
 * the engine restarts it reconnects with a doubling backoff, asking for the events since the last
 * one it saw so none is lost while the engine kept running. Thread-safe.
 */
final class EventSubscription implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventSubscription.class);

    private final DockerClient client;
    private final ScheduledExecutorService reconnects;
    private final Backoff backoff;
    private final DieEventTranslator translator;
    private final Consumer<RuntimeEvent> listener;
    private final Instant engineTimeAtSubscribe;
    private Duration nextDelay;
    private long lastTimeNano;
    private Stream current;
    private boolean closed;

    EventSubscription(DockerClient client, Clock clock, ScheduledExecutorService reconnects,
                      Backoff backoff, RecentIds requestedStops, Consumer<RuntimeEvent> listener,
                      Instant engineTimeAtSubscribe) {
        this.client = client;
        this.translator = new DieEventTranslator(clock, requestedStops, this::killedForMemory);
        this.reconnects = reconnects;
        this.backoff = backoff;
        this.listener = listener;
        this.engineTimeAtSubscribe = engineTimeAtSubscribe;
        this.nextDelay = backoff.initial();
    }

    /**
     * Connects and waits up to {@code timeout} until the engine streams or refuses; keeps retrying
     * in the background if it does not stream.
     */
    void open(Duration timeout) throws InterruptedException {
        Stream stream = connect();
        if (stream != null && !stream.settled.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("Docker event stream not established within {}; crash reports may lag until it is", timeout);
        }
    }

    private synchronized Stream connect() {
        if (closed) {
            return null;
        }
        current = new Stream();
        try {
            EventsCmd events = client.eventsCmd()
                    .withEventTypeFilter(EventType.CONTAINER)
                    .withEventFilter("die")
                    .withLabelFilter(Map.of(DockerRuntime.MANAGED_LABEL, "true"));
            String since = since();
            if (since != null) {
                events.withSince(since);
            }
            events.exec(current);
        } catch (RuntimeException e) {
            current.onError(e);
        }
        return current;
    }

    /**
     * Events are asked for from the last one seen, or else from the engine's time at subscription
     * (the engine subscribes a stream only after answering, so "now" would leave a gap); {@code null}
     * (live only) when neither is known.
     */
    private String since() {
        if (lastTimeNano > 0) {
            return (lastTimeNano / 1_000_000_000L) + "." + String.format("%09d", lastTimeNano % 1_000_000_000L);
        }
        if (engineTimeAtSubscribe != null) {
            return engineTimeAtSubscribe.getEpochSecond() + "." + String.format("%09d", engineTimeAtSubscribe.getNano());
        }
        return null;
    }

    private synchronized void streamEnded(Stream stream, Throwable error) {
        if (closed || stream != current || stream.ended) {
            return;
        }
        stream.ended = true;
        Duration delay = nextDelay;
        nextDelay = backoff.next(nextDelay);
        LOG.warn("Docker event stream ended ({}); reconnecting in {}", error == null ? "closed by engine" : error.toString(),
                delay);
        try {
            reconnects.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException rejected) {
            LOG.debug("reconnect not scheduled: runtime closed", rejected);
        }
    }

    /** Whether {@code stream}, which the engine now answers, is still the one to listen to. */
    private synchronized boolean streamStarted(Stream stream) {
        if (stream != current) {
            return false;
        }
        nextDelay = backoff.initial();
        return true;
    }

    private void deliver(Event event) {
        RuntimeEvent runtimeEvent = translate(event);
        if (runtimeEvent == null) {
            return;
        }
        try {
            listener.accept(runtimeEvent);
        } catch (RuntimeException e) {
            LOG.warn("runtime event listener threw on {}; ignored", runtimeEvent, e);
        }
    }

    private RuntimeEvent translate(Event event) {
        synchronized (this) {
            long timeNano = event.getTimeNano() == null ? 0 : event.getTimeNano();
            if (closed || (timeNano > 0 && timeNano <= lastTimeNano)) {
                return null;
            }
            lastTimeNano = Math.max(lastTimeNano, timeNano);
        }
        return translator.translate(event).orElse(null);
    }

    /** Whether the engine says the container was OOM-killed; false when it cannot tell. */
    private boolean killedForMemory(String id) {
        try {
            Boolean oom = client.inspectContainerCmd(id).exec().getState().getOOMKilled();
            return Boolean.TRUE.equals(oom);
        } catch (RuntimeException e) {
            LOG.debug("cannot inspect {} after its die event; reported as exited", id, e);
            return false;
        }
    }

    @Override
    public void close() {
        Stream stream;
        synchronized (this) {
            closed = true;
            stream = current;
            current = null;
        }
        if (stream != null) {
            stream.closeQuietly();
        }
    }

    /** One connection of the event stream. */
    private final class Stream extends ResultCallback.Adapter<Event> {
        /** Counted down once the engine streams, refuses, or closes. */
        private final CountDownLatch settled = new CountDownLatch(1);
        /** Set once its end was handled, so an error followed by a completion reconnects once. */
        private boolean ended;

        /**
         * The engine answers. A stream closed while it connected (the watch or the runtime was
         * closed meanwhile) is closed now: docker-java's {@code onStart} reopens a closed callback,
         * and the connection would stream on to nobody.
         */
        @Override
        public void onStart(Closeable stream) {
            super.onStart(stream);
            settled.countDown();
            if (!streamStarted(this)) {
                closeQuietly();
            }
        }

        @Override
        public void onNext(Event event) {
            deliver(event);
        }

        @Override
        public void onError(Throwable error) {
            settled.countDown();
            closeQuietly();
            streamEnded(this, error);
        }

        @Override
        public void onComplete() {
            settled.countDown();
            closeQuietly();
            streamEnded(this, null);
        }

        void closeQuietly() {
            try {
                super.close();
            } catch (Exception e) {
                LOG.debug("closing the event stream failed", e);
            }
        }
    }
}
