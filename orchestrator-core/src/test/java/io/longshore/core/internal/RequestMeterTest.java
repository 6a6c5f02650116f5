package io.longshore.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.testkit.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RequestMeterTest {
    private final ManualClock clock = new ManualClock();
    private final RequestMeter meter = new RequestMeter(clock);

    @Test
    void aWindowCountsTheSecondsItTouches() {
        meter.markRequest(clock.nanoTime());
        clock.advance(Duration.ofSeconds(10));
        meter.markRequest(clock.nanoTime());
        meter.markRequest(clock.nanoTime());

        assertThat(meter.requestCount(Duration.ofSeconds(5), clock.nanoTime())).isEqualTo(2);
        assertThat(meter.requestCount(Duration.ofSeconds(10), clock.nanoTime())).isEqualTo(3);
        assertThat(meter.requestRate(Duration.ofSeconds(10), clock.nanoTime())).isEqualTo(0.3);
    }

    @Test
    void oldLapsOfTheRingAreNotCountedAgain() {
        meter.markRequest(clock.nanoTime());
        clock.advance(RequestMeter.MAX_WINDOW.plusSeconds(4));
        meter.markRequest(clock.nanoTime());

        assertThat(meter.requestCount(RequestMeter.MAX_WINDOW, clock.nanoTime())).isEqualTo(1);
        assertThat(meter.requestCount(Duration.ofHours(5), clock.nanoTime())).isEqualTo(1);
    }

    @Test
    void aWindowCanEndAtAnEarlierTimeThanNow() {
        meter.markRequest(clock.nanoTime());
        long tick = clock.nanoTime() + Duration.ofSeconds(120).toNanos();
        clock.advance(Duration.ofSeconds(122));

        assertThat(meter.requestCount(Duration.ofMinutes(2), clock.nanoTime())).isZero();
        assertThat(meter.requestCount(Duration.ofMinutes(2), tick)).isEqualTo(1);
    }

    @Test
    void meanLatencyIsNanWithoutCompletions() {
        assertThat(meter.meanLatencyMillis(Duration.ofMinutes(1), clock.nanoTime())).isNaN();
        meter.markCompletion(clock.nanoTime(), Duration.ofMillis(10).toNanos());
        meter.markCompletion(clock.nanoTime(), Duration.ofMillis(30).toNanos());
        assertThat(meter.meanLatencyMillis(Duration.ofMinutes(1), clock.nanoTime())).isEqualTo(20.0);
    }
}
