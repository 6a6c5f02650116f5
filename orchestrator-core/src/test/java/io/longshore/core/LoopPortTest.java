package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.testkit.DeterministicScheduler;
import io.longshore.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The loop's own failure handling: a task or the refresh after it that throws is logged and
 * counted, and the loop goes on. The deterministic scheduler rethrows what a task throws, so a
 * failure that escaped the port would fail {@link DeterministicScheduler#runPending()} here; the
 * production scheduler would keep it silently in a future instead.
 */
class LoopPortTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final DeterministicScheduler scheduler = new DeterministicScheduler(clock);

    @Test
    void aRefreshThatThrowsIsCountedAndTheNextTasksAndRefreshesStillRun() {
        AtomicInteger refreshes = new AtomicInteger();
        Runnable refresh = () -> {
            if (refreshes.incrementAndGet() == 1) {
                throw new ArithmeticException("long overflow");
            }
        };
        LoopPort port = port(refresh);
        AtomicInteger ran = new AtomicInteger();

        port.post(ran::incrementAndGet);
        scheduler.runPending();
        port.post(ran::incrementAndGet);
        port.later(Duration.ofSeconds(1), ran::incrementAndGet);
        scheduler.runPending();
        clock.advance(Duration.ofSeconds(1));
        scheduler.runPending();

        assertThat(ran).hasValue(3);
        assertThat(refreshes).hasValue(3);
        assertThat(port.failedTasks()).isEqualTo(1);
    }

    @Test
    void aTaskThatThrowsIsCountedAndStillRefreshes() {
        AtomicInteger refreshes = new AtomicInteger();
        LoopPort port = port(refreshes::incrementAndGet);

        port.post(() -> {
            throw new IllegalStateException("a bug");
        });
        scheduler.runPending();

        assertThat(port.failedTasks()).isEqualTo(1);
        assertThat(refreshes).hasValue(1);
    }

    private LoopPort port(Runnable refresh) {
        EventLog events = new EventLog(16, List.of(), clock, "svc");
        return new LoopPort("svc", clock, scheduler, Runnable::run, events, refresh, () -> { }, 0);
    }
}
