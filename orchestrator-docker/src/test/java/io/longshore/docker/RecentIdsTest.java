package io.longshore.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentIdsTest {
    private final RecentIds ids = new RecentIds();

    @Test
    void aShortIdMatchesTheFullIdItStartsAndTheOtherWayRound() {
        ids.add("abc123");

        assertThat(ids.contains("abc123def456")).isTrue();
        assertThat(ids.contains("abc")).isTrue();
        assertThat(ids.contains("abd")).isFalse();
    }

    @Test
    void removeForgetsTheIdAndSaysWhetherItWasThere() {
        ids.add("abc123");

        assertThat(ids.remove("abc123def")).isTrue();
        assertThat(ids.remove("abc123def")).isFalse();
        assertThat(ids.contains("abc123")).isFalse();
    }

    @Test
    void theOldestIdsAreForgottenBeyondTheCapacity() {
        for (int i = 0; i <= RecentIds.CAPACITY; i++) {
            ids.add("id-" + i + "-x");
        }

        assertThat(ids.contains("id-0-x")).isFalse();
        assertThat(ids.contains("id-" + RecentIds.CAPACITY + "-x")).isTrue();
    }
}
