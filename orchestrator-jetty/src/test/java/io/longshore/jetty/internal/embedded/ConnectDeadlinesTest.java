package io.longshore.jetty.internal.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The connect deadlines on a hand-moved clock and a scheduler that only records what it is asked
 * to run: which waits expire, which are dropped, and how many sweeps are planned.
 */
class ConnectDeadlinesTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(1);

    private long now = 1_000;
    private final List<Runnable> planned = new ArrayList<>();
    private final List<Long> delays = new ArrayList<>();
    private final ConnectDeadlines deadlines = new ConnectDeadlines((task, nanos) -> {
        planned.add(task);
        delays.add(nanos);
    }, () -> now, TIMEOUT);

    /** Runs the sweeps planned so far, as the scheduler would once their delay passed. */
    private void runPlanned() {
        List<Runnable> due = new ArrayList<>(planned);
        planned.clear();
        due.forEach(Runnable::run);
    }

    @Test
    void aWaitNotEndedRunsItsExpiryOnceItsDeadlineHasPassed() {
        AtomicInteger expired = new AtomicInteger();
        deadlines.start(expired::incrementAndGet);
        now += TIMEOUT - 1;
        runPlanned();
        assertThat(expired).hasValue(0);
        now += 1;
        runPlanned();
        assertThat(expired).hasValue(1);
        assertThat(deadlines.held()).isZero();
        assertThat(planned).as("nothing left to sweep").isEmpty();
    }

    @Test
    void anEndedWaitNeverRunsAndIsDroppedByTheNextSweep() {
        AtomicInteger expired = new AtomicInteger();
        ConnectDeadlines.Wait wait = deadlines.start(expired::incrementAndGet);
        wait.end();
        runPlanned();
        assertThat(deadlines.held()).isZero();
        now += 2 * TIMEOUT;
        runPlanned();
        assertThat(expired).hasValue(0);
    }

    @Test
    void oneSweepIsPlannedAtATimeHoweverManyWaitsStart() {
        for (int i = 0; i < 1_000; i++) {
            deadlines.start(() -> { }).end();
        }
        assertThat(planned).hasSize(1);
        assertThat(delays).containsExactly(TIMEOUT / 10);
        runPlanned();
        assertThat(deadlines.held()).isZero();
        assertThat(planned).isEmpty();
        deadlines.start(() -> { });
        assertThat(planned).as("a new wait plans a sweep again").hasSize(1);
    }

    @Test
    void sweepsGoOnWhileAWaitRemainsAndExpireOnlyTheDueOnes() {
        List<String> expired = new ArrayList<>();
        deadlines.start(() -> expired.add("first"));
        now += TIMEOUT / 2;
        deadlines.start(() -> expired.add("second"));
        now += TIMEOUT / 2;
        runPlanned();
        assertThat(expired).containsExactly("first");
        assertThat(planned).as("the second still waits").hasSize(1);
        now += TIMEOUT / 2;
        runPlanned();
        assertThat(expired).containsExactly("first", "second");
    }

    @Test
    void anExpiryThatThrowsStopsNeitherTheOtherWaitsNorLaterSweeps() {
        List<String> expired = new ArrayList<>();
        deadlines.start(() -> {
            throw new IllegalStateException("abort failed");
        });
        deadlines.start(() -> expired.add("second"));
        now += TIMEOUT;
        runPlanned();
        assertThat(expired).containsExactly("second");
        deadlines.start(() -> expired.add("third"));
        assertThat(planned).as("a sweep is planned again").hasSize(1);
        now += TIMEOUT;
        runPlanned();
        assertThat(expired).containsExactly("second", "third");
    }

    @Test
    void theSweepPeriodIsATenthOfTheTimeoutWithinItsBounds() {
        new ConnectDeadlines((task, nanos) -> delays.add(nanos), () -> 0, TimeUnit.MILLISECONDS.toNanos(1))
                .start(() -> { });
        new ConnectDeadlines((task, nanos) -> delays.add(nanos), () -> 0, TimeUnit.SECONDS.toNanos(30))
                .start(() -> { });
        assertThat(delays).containsExactly(ConnectDeadlines.MIN_PERIOD_NANOS, ConnectDeadlines.MAX_PERIOD_NANOS);
    }

    @Test
    void aNegativeTimeoutIsRefused() {
        assertThatThrownBy(() -> new ConnectDeadlines((task, nanos) -> { }, () -> 0, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeoutNanos");
    }
}
