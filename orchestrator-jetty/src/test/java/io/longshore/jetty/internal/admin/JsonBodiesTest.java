package io.longshore.jetty.internal.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How the 408 of a body that did not come in time names its deadline. */
class JsonBodiesTest {

    @Test
    void theDefaultDeadlineIsTenSecondsAndIsSaidInSeconds() {
        assertThat(JsonBodies.DEADLINE).isEqualTo(Duration.ofSeconds(10));
        assertThat(JsonBodies.say(JsonBodies.DEADLINE)).isEqualTo("10 s");
    }

    @Test
    void aDeadlineOfNoWholeSecondsIsSaidInMilliseconds() {
        assertThat(JsonBodies.say(Duration.ofMillis(300))).isEqualTo("300 ms");
        assertThat(JsonBodies.say(Duration.ofMillis(1500))).isEqualTo("1500 ms");
    }
}
