package io.longshore.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @Test
    void millisecondsSecondsMinutesAndHoursAreRead() {
        assertThat(Durations.parse("500ms", "--x")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("10s", "--x")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse("2m", "--x")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("1h", "--x")).isEqualTo(Duration.ofHours(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "s", "1.5s", "-1s", "10 seconds", "2d", "ms500"})
    void anythingElseIsAnErrorNamingTheFlag(String text) {
        assertThatThrownBy(() -> Durations.parse(text, "--scale-interval"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--scale-interval")
                .hasMessageContaining("500ms, 10s, 2m");
    }

    @Test
    void zeroIsRefused() {
        assertThatThrownBy(() -> Durations.parse("0s", "--health-interval"))
                .hasMessageContaining("positive");
    }

    @Test
    void formattingPicksTheLargestExactUnit() {
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("2m");
        assertThat(Durations.format(Duration.ofHours(3))).isEqualTo("3h");
    }
}
