package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading {@code /proc/<pid>/stat}: fields counted from the last parenthesis, zombies recognised. */
class ProcStatTest {
    private static final String TAIL = " 1 77 77 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 123456 1000 10";

    @Test
    void theStateGroupAndStartTimeAreReadEvenWhenTheNameHoldsSpacesAndParentheses() {
        String stat = "4242 (java (main) x) S" + TAIL;

        assertThat(ProcStat.parse(4242, stat)).hasValueSatisfying(read -> {
            assertThat(read.state()).isEqualTo('S');
            assertThat(read.processGroup()).isEqualTo(77);
            assertThat(read.startTicks()).isEqualTo(123456);
            assertThat(read.exited()).isFalse();
        });
    }

    @Test
    void aZombieOrADeadProcessHasExited() {
        assertThat(ProcStat.parse(1, "1 (sh) Z" + TAIL)).hasValueSatisfying(read -> assertThat(read.exited()).isTrue());
        assertThat(ProcStat.parse(1, "1 (sh) X" + TAIL)).hasValueSatisfying(read -> assertThat(read.exited()).isTrue());
    }

    @Test
    void aMalformedLineReadsAsNothing() {
        assertThat(ProcStat.parse(1, "garbage")).isEmpty();
        assertThat(ProcStat.parse(1, "1 (sh) S 1 2")).isEmpty();
        assertThat(ProcStat.parse(1, "1 (sh) S 1 x" + TAIL)).isEmpty();
    }

    @Test
    void thisJvmIsReadAsRunningWithItsStartTime() {
        assertThat(ProcStat.read(ProcessHandle.current().pid())).hasValueSatisfying(read -> {
            assertThat(read.exited()).isFalse();
            assertThat(read.startTicks()).isPositive();
        });
        assertThat(ProcStat.read(Long.MAX_VALUE)).isEmpty();
    }
}
