package io.longshore.jetty.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LoadWindowTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    /** An arbitrary, negative origin: nanoTime may be anywhere. */
    private static final long T0 = -7 * SECOND;

    private final LoadWindow window = new LoadWindow();

    @Test
    void anEmptyWindowHasNoRateAndNoQuantiles() {
        LoadWindow.Load load = window.read(T0);

        assertThat(load.requestsPerSecond()).isZero();
        assertThat(load.p50Millis()).isNaN();
        assertThat(load.p99Millis()).isNaN();
    }

    @Test
    void theRateCountsEveryAttemptOfTheLastTenSecondsIncludingFailures() {
        for (int s = 0; s < 10; s++) {
            for (int i = 0; i < 20; i++) {
                window.record(T0 + s * SECOND + i * MS, 2 * MS, i != 0);
            }
        }

        // at the very end of the tenth second the window holds exactly ten full seconds
        LoadWindow.Load load = window.read(T0 + 10 * SECOND - 1);

        assertThat(load.requestsPerSecond()).isCloseTo(20.0, within(0.01));
    }

    @Test
    void secondsOlderThanTheWindowNoLongerCount() {
        window.record(T0, 5 * MS, true);
        window.record(T0 + 3 * SECOND, 5 * MS, true);

        assertThat(window.read(T0 + 9 * SECOND).requestsPerSecond()).isGreaterThan(0.15);
        assertThat(window.read(T0 + 11 * SECOND).requestsPerSecond()).isCloseTo(0.1, within(0.02));
        assertThat(window.read(T0 + 14 * SECOND).requestsPerSecond()).isZero();
        assertThat(window.read(T0 + 14 * SECOND).p50Millis()).isNaN();
    }

    @Test
    void aSlotFromAnEarlierLapOfTheRingStartsAgainFromZero() {
        for (int i = 0; i < 100; i++) {
            window.record(T0, 900 * MS, true);
        }
        // 12 seconds later the same slot of the ring serves a new second
        window.record(T0 + 12 * SECOND, 1 * MS, true);

        LoadWindow.Load load = window.read(T0 + 12 * SECOND);

        assertThat(load.p99Millis()).isLessThan(2.0);
        assertThat(load.requestsPerSecond()).isCloseTo(0.1, within(0.02));
    }

    @Test
    void medianAndNinetyNinthPercentileComeWithinTheBucketPrecision() {
        for (int i = 1; i <= 1000; i++) {
            window.record(T0 + i * MS, i * 100_000L, true); // 0.1 ms .. 100 ms, uniform
        }

        LoadWindow.Load load = window.read(T0 + 2 * SECOND);

        assertThat(load.p50Millis()).isCloseTo(50.0, within(50.0 * 0.125));
        assertThat(load.p99Millis()).isCloseTo(99.0, within(99.0 * 0.125));
    }

    @Test
    void failedAttemptsDoNotSkewTheLatencyQuantiles() {
        for (int i = 0; i < 10; i++) {
            window.record(T0, 3 * MS, true);
            window.record(T0, 30 * SECOND, false);
        }

        LoadWindow.Load load = window.read(T0);

        assertThat(load.p99Millis()).isCloseTo(3.0, within(3.0 * 0.125));
    }

    @Test
    void aStragglerFromASecondTheRingHasLeftIsIgnored() {
        window.record(T0 + 12 * SECOND, 1 * MS, true);
        window.record(T0, 500 * MS, true); // same slot, older second

        assertThat(window.read(T0 + 12 * SECOND).p99Millis()).isLessThan(2.0);
    }

    @Test
    void bucketsCoverEveryLatencyInOrderAndTheirMidpointsLieWithinThem() {
        int previous = -1;
        for (long micros = 0; micros < 1L << 40; micros = micros < 64 ? micros + 1 : micros + micros / 7) {
            int bucket = LoadWindow.bucket(micros);
            assertThat(bucket).isBetween(previous, LoadWindow.BUCKETS - 1);
            if (micros >= 8 && micros < 1L << 37) {
                assertThat(LoadWindow.midpointMicros(bucket)).isCloseTo(micros, within(micros * 0.25));
            }
            previous = bucket;
        }
        assertThat(LoadWindow.bucket(Long.MAX_VALUE)).isEqualTo(LoadWindow.BUCKETS - 1);
        assertThat(LoadWindow.bucket(7)).isEqualTo(7);
        assertThat(LoadWindow.midpointMicros(LoadWindow.bucket(1000))).isCloseTo(1000, within(125.0));
    }
}
