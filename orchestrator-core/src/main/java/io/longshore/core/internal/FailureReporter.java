package io.longshore.core.internal;

import io.longshore.api.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports failures of user code (strategy, probe, policy, listener) at most once per
 * {@code interval} per component, so a component that throws on every call cannot flood
 * logs or the event log. Suppressed failures are counted and mentioned in the next report.
 * Thread-safe and lock-free.
 */
public final class FailureReporter {
    /** The default least time between two reports of one component. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(FailureReporter.class);

    private final Clock clock;
    private final long intervalNanos;
    private final BiConsumer<String, String> sink;
    private final Map<String, AtomicLong> nextReport = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> suppressed = new ConcurrentHashMap<>();

    /**
     * @param sink receives (component, error) for every report that is not suppressed; must
     *             not block
     */
    public FailureReporter(Clock clock, Duration interval, BiConsumer<String, String> sink) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.intervalNanos = Objects.requireNonNull(interval, "interval").toNanos();
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Reports that {@code component} failed with {@code error}, unless it did so recently. */
    public void report(String component, Throwable error) {
        report(component, String.valueOf(error));
    }

    /** Reports that {@code component} failed with {@code error}, unless it did so recently. */
    public void report(String component, String error) {
        long now = clock.nanoTime();
        AtomicLong next = nextReport.computeIfAbsent(component, c -> new AtomicLong(Long.MIN_VALUE));
        long due = next.get();
        if ((due != Long.MIN_VALUE && now - due < 0) || !next.compareAndSet(due, now + intervalNanos)) {
            suppressed.computeIfAbsent(component, c -> new AtomicLong()).incrementAndGet();
            return;
        }
        AtomicLong hidden = suppressed.get(component);
        long count = hidden == null ? 0 : hidden.getAndSet(0);
        String message = count == 0 ? error : error + " (and " + count + " similar failures not reported)";
        LOG.warn("{} failed: {}", component, message);
        try {
            sink.accept(component, message);
        } catch (RuntimeException e) {
            LOG.warn("could not report a failure of {}", component, e);
        }
    }
}
