package io.longshore.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuSampleTest {

    @Test
    void cpuPercentIsTheContainersShareOfTheHostsCpuTimeScaledToOneCore() {
        StatsReader.CpuSample before = new StatsReader.CpuSample(1_000, 10_000, 2);
        StatsReader.CpuSample after = new StatsReader.CpuSample(2_000, 12_000, 2);

        assertThat(after.percentSince(before)).isEqualTo(100.0);
    }

    @Test
    void withoutAnEarlierSampleOrWithoutProgressCpuIsZero() {
        StatsReader.CpuSample sample = new StatsReader.CpuSample(2_000, 12_000, 2);

        assertThat(sample.percentSince(null)).isZero();
        assertThat(sample.percentSince(sample)).isZero();
    }
}
