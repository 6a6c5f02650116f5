package io.longshore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.LoadBalancingStrategy;
import org.junit.jupiter.api.Test;

/** The figures ConsistentHashingMain prints are the ones the issue bounds. */
class ConsistentHashingMainTest {

    @Test
    void anEleventhReplicaTakesAboutItsShareOfTheKeysAndNothingMovesElsewhere() {
        ConsistentHashingMain.Remapping added = ConsistentHashingMain.remapping(10, 11);

        assertThat(added.movedShare()).isBetween(0.05, 1 / 11.0 + 0.02);
        assertThat(added.elsewhere()).isZero();
    }

    @Test
    void removingAReplicaMovesOnlyItsKeys() {
        ConsistentHashingMain.Remapping removed = ConsistentHashingMain.remapping(10, 9);

        assertThat(removed.movedShare()).isBetween(0.05, 0.15);
        assertThat(removed.elsewhere()).isZero();
    }

    @Test
    void boundedLoadsKeepAHotKeyWithinTheBoundAndAPlainRingDoesNot() {
        assertThat(ConsistentHashingMain.worstMaxOverMean(LoadBalancingStrategy.DEFAULT_BALANCE_FACTOR, 42))
                .isLessThanOrEqualTo(1.25);
        assertThat(ConsistentHashingMain.worstMaxOverMean(Double.POSITIVE_INFINITY, 42)).isGreaterThan(2.5);
    }
}
