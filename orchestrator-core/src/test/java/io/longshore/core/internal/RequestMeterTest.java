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

        assertThat(meter.requestCount(Duration.ofSeconds(5))).isEqualTo(2);
        assertThat(meter.requestCount(Duration.ofSeconds(10))).isEqualTo(3);
        assertThat(meter.requestRate(Duration.ofSeconds(10))).isEqualTo(0.3);
    }

    @Test
    void oldLapsOfTheRingAreNotCountedAgain() {
        meter.markRequest(clock.nanoTime());
        clock.advance(RequestMeter.MAX_WINDOW.plusSeconds(4));
        meter.markRequest(clock.nanoTime());

        assertThat(meter.requestCount(RequestMeter.MAX_WINDOW)).isEqualTo(1);
        assertThat(meter.requestCount(Duration.ofHours(5))).isEqualTo(1);
    }

    @Test
    void meanLatencyIsNanWithoutCompletions() {
        assertThat(meter.meanLatencyMillis(Duration.ofMinutes(1))).isNaN();
        meter.markCompletion(clock.nanoTime(), Duration.ofMillis(10).toNanos());
        meter.markCompletion(clock.nanoTime(), Duration.ofMillis(30).toNanos());
        assertThat(meter.meanLatencyMillis(Duration.ofMinutes(1))).isEqualTo(20.0);
    }
}
