package io.longshore.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.longshore.testkit.ManualClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RequestMeterTest {
    private final ManualClock clock = new ManualClock();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final RequestMeter meter = new RequestMeter(clock, inFlight::get, waiting::get);

    private long now() {
        return clock.nanoTime();
    }

    private void advanceMillis(long millis) {
        clock.advance(Duration.ofMillis(millis));
    }

    /** A request routed now, as the router counts it: in flight first, then metered. */
    private void start() {
        inFlight.incrementAndGet();
        meter.markRequest(now());
    }

    private void end(long latencyMillis) {
        inFlight.decrementAndGet();
        meter.markRelease(now(), Duration.ofMillis(latencyMillis).toNanos());
    }

    @Test
    void aWindowCountsTheSecondsItTouches() {
        start();
        end(0);
        clock.advance(Duration.ofSeconds(10));
        start();
        start();

        assertThat(meter.requestCount(Duration.ofSeconds(5), now())).isEqualTo(2);
        assertThat(meter.requestCount(Duration.ofSeconds(10), now())).isEqualTo(3);
        assertThat(meter.requestRate(Duration.ofSeconds(10), now())).isEqualTo(0.3);
    }

    @Test
    void oldLapsOfTheRingAreNotCountedAgain() {
        start();
        end(0);
        clock.advance(RequestMeter.MAX_WINDOW.plusSeconds(4));
        start();

        assertThat(meter.requestCount(RequestMeter.MAX_WINDOW, now())).isEqualTo(1);
        assertThat(meter.requestCount(Duration.ofHours(5), now())).isEqualTo(1);
    }

    @Test
    void aWindowCanEndAtAnEarlierTimeThanNow() {
        start();
        long tick = now() + Duration.ofSeconds(120).toNanos();
        clock.advance(Duration.ofSeconds(122));

        assertThat(meter.requestCount(Duration.ofMinutes(2), now())).isZero();
        assertThat(meter.requestCount(Duration.ofMinutes(2), tick)).isEqualTo(1);
    }

    @Test
    void meanLatencyIsNanWithoutCompletionsAndCountsOnlyMeasuredOnes() {
        assertThat(meter.meanLatencyMillis(Duration.ofMinutes(1), now())).isNaN();
        start();
        start();
        start();
        end(10);
        end(30);
        inFlight.decrementAndGet();
        meter.markRelease(now(), -1);

        assertThat(meter.meanLatencyMillis(Duration.ofMinutes(1), now())).isEqualTo(20.0);
    }

    @Test
    void concurrencyIsTheTimeWeightedMeanOfRequestsInFlight() {
        clock.advance(Duration.ofMillis(9_250));
        start();
        advanceMillis(500);
        end(500);
        advanceMillis(250);

        assertThat(meter.concurrency(Duration.ofSeconds(1), now())).isCloseTo(0.5, within(1e-9));
        assertThat(meter.concurrency(Duration.ofSeconds(2), now())).isCloseTo(0.25, within(1e-9));
    }

    @Test
    void manyShortRequestsAddUpToTheirOverlap() {
        clock.advance(Duration.ofSeconds(5));
        for (int i = 0; i < 20; i++) {
            start();
            start();
            advanceMillis(100);
            end(100);
            end(100);
            advanceMillis(50);
        }

        // 20 rounds of 150 ms, two requests in flight for 100 ms of each: 2 x 2/3
        assertThat(meter.concurrency(Duration.ofSeconds(3), now())).isCloseTo(4.0 / 3, within(1e-9));
    }

    @Test
    void aRequestStillInFlightCountsForTheWholeWindowItCovers() {
        start();
        clock.advance(Duration.ofSeconds(30));

        assertThat(meter.concurrency(Duration.ofSeconds(10), now())).isCloseTo(1.0, within(1e-9));
        clock.advance(Duration.ofMillis(300));
        start();
        clock.advance(Duration.ofSeconds(5));
        assertThat(meter.concurrency(Duration.ofSeconds(10), now())).isCloseTo(1.5, within(1e-9));
    }

    @Test
    void aZeroWindowIsTheCountNow() {
        start();
        start();
        waiting.set(3);

        assertThat(meter.concurrency(Duration.ZERO, now())).isEqualTo(2.0);
        assertThat(meter.waiting(Duration.ZERO, now())).isEqualTo(3.0);
    }

    @Test
    void aWindowEndingEarlierThanNowAveragesUpToItsEnd() {
        clock.advance(Duration.ofSeconds(10));
        long tick = now();
        start();
        clock.advance(Duration.ofSeconds(2));

        assertThat(meter.concurrency(Duration.ofSeconds(4), tick)).isCloseTo(0.0, within(1e-9));
        assertThat(meter.concurrency(Duration.ofSeconds(4), now())).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void waitingIsTimeWeightedLikeConcurrency() {
        clock.advance(Duration.ofSeconds(20));
        waiting.incrementAndGet();
        meter.markWaitStarted(now());
        waiting.incrementAndGet();
        meter.markWaitStarted(now());
        advanceMillis(1_500);
        waiting.decrementAndGet();
        meter.markWaitEnded(now(), false);
        advanceMillis(500);

        assertThat(meter.waiting(Duration.ofSeconds(2), now())).isCloseTo(1.75, within(1e-9));
        assertThat(meter.waiting(Duration.ZERO, now())).isEqualTo(1.0);
        assertThat(meter.concurrency(Duration.ofSeconds(2), now())).isZero();
    }

    @Test
    void latencyQuantilesComeFromTheWindowsHistogram() {
        for (int i = 1; i <= 100; i++) {
            start();
            end(i);
        }
        clock.advance(Duration.ofSeconds(30));
        for (int i = 0; i < 100; i++) {
            start();
            end(1_000);
        }

        assertThat(meter.latencyQuantileMillis(0.5, Duration.ofSeconds(10), now())).isCloseTo(1_000, within(70.0));
        assertThat(meter.latencyQuantileMillis(0.25, Duration.ofMinutes(1), now())).isCloseTo(50, within(4.0));
        assertThat(meter.latencyQuantileMillis(0.01, Duration.ofMinutes(1), now())).isCloseTo(2, within(0.2));
        assertThat(meter.latencyQuantileMillis(0.99, Duration.ofMinutes(1), now())).isCloseTo(1_000, within(70.0));
        clock.advance(Duration.ofMinutes(10));
        assertThat(meter.latencyQuantileMillis(0.5, Duration.ofMinutes(15), now())).isNaN();
    }

    @Test
    void histogramBucketsCoverLatenciesWithinAFewPercent() {
        for (long micros : new long[] {0, 1, 7, 8, 9, 15, 16, 100, 999, 50_000, 1_234_567, 60_000_000}) {
            double middle = LatencyHistogram.middleMicros(LatencyHistogram.bucket(micros * 1_000));
            assertThat(middle).as("%d us", micros).isCloseTo(micros, within(Math.max(0.5, micros * 0.07)));
        }
        assertThat(LatencyHistogram.bucket(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
        assertThat(LatencyHistogram.bucket(-5)).isZero();
    }
}
