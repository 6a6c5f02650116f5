package io.longshore.jetty.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The busy poll on a real selector and pipe, with a clock that moves 1 µs each time it is read:
 * so how often the poll reads it says how long it polled. No test waits for a deadline; the
 * timeouts only stop a test that would otherwise hang.
 */
class BusyPollTest {
    private static final long WINDOW = 10_000;
    private static final Duration HANG = Duration.ofSeconds(10);

    private Selector selector;
    private Pipe pipe;
    private final SteppingClock clock = new SteppingClock();

    @BeforeEach
    void openPipe() throws IOException {
        selector = Selector.open();
        pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        pipe.source().register(selector, SelectionKey.OP_READ);
    }

    @AfterEach
    void close() throws IOException {
        pipe.sink().close();
        pipe.source().close();
        selector.close();
    }

    @Test
    void anIdleLoopSleepsWithoutPolling() throws IOException {
        BusyPoll poll = new BusyPoll(WINDOW, clock);
        selector.wakeup();

        assertThat(poll.select(selector)).isZero();
        assertThat(clock.reads).isZero();
    }

    @Test
    void aLoopThatFoundEventsPollsThroughTheWindowAndThenSleeps() throws IOException {
        BusyPoll poll = new BusyPoll(WINDOW, clock);
        send();
        assertThat(poll.select(selector)).isEqualTo(1);
        drain();
        assertThat(clock.reads).isZero();

        assertTimeoutPreemptively(HANG, () -> assertThat(poll.select(selector)).isZero());

        assertThat(clock.reads).isEqualTo(WINDOW / SteppingClock.STEP + 1);
        clock.reads = 0;
        selector.wakeup();
        assertThat(poll.select(selector)).isZero();
        assertThat(clock.reads).as("a window without events ends the polling").isZero();
    }

    @Test
    void eventsThatArriveWhilePollingAreTakenWithoutSleeping() throws IOException {
        BusyPoll poll = new BusyPoll(WINDOW, clock);
        send();
        poll.select(selector);
        drain();
        clock.onRead(3, this::send);

        assertThat(poll.select(selector)).isEqualTo(1);

        assertThat(clock.reads).isEqualTo(3);
        drain();
        clock.reads = 0;
        clock.onRead(1, this::send);
        assertThat(poll.select(selector)).as("still busy, so it polls again").isEqualTo(1);
        assertThat(clock.reads).isEqualTo(1);
    }

    @Test
    void aWakeupUsedUpWhilePollingDelaysTheLoopOnlyOnce() {
        BusyPoll poll = new BusyPoll(WINDOW, clock);
        send();
        assertTimeoutPreemptively(HANG, () -> {
            poll.select(selector);
            drain();
            selector.wakeup();
            assertThat(poll.select(selector)).isZero();
        });
    }

    @Test
    void aZeroWindowNeverPolls() throws IOException {
        BusyPoll poll = new BusyPoll(0, clock);
        send();
        poll.select(selector);
        drain();
        selector.wakeup();

        assertThat(poll.select(selector)).isZero();
        assertThat(clock.reads).isZero();
    }

    @Test
    void aNegativeWindowIsRefused() {
        assertThatThrownBy(() -> new BusyPoll(-1, clock)).hasMessageContaining("windowNanos");
    }

    private void send() {
        try {
            pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void drain() throws IOException {
        selector.selectedKeys().clear();
        pipe.source().read(ByteBuffer.allocate(16));
    }

    /** A clock that moves {@link #STEP} ns per read and can run an action at a given read. */
    private static final class SteppingClock implements LongSupplier {
        static final long STEP = 1_000;
        long reads;
        private long now;
        private long actionAt = -1;
        private Runnable action;

        void onRead(long read, Runnable action) {
            this.actionAt = read;
            this.action = action;
        }

        @Override
        public long getAsLong() {
            reads++;
            if (reads == actionAt) {
                action.run();
            }
            now += STEP;
            return now;
        }
    }
}
