package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A process identity tells a process apart from a later one with the same pid. */
class ProcessIdentityTest {
    @Test
    void thisJvmRunsAndItsIdentityReadsBackFromItsText() {
        ProcessIdentity self = ProcessIdentity.current();

        assertThat(self.isRunning()).isTrue();
        assertThat(ProcessIdentity.parse(self.toString())).isEqualTo(self);
    }

    @Test
    void theSamePidWithAnotherStartTimeIsAnotherProcessAndDoesNotRun() {
        ProcessIdentity self = ProcessIdentity.current();

        assertThat(new ProcessIdentity(self.pid(), self.startTime() + 1).isRunning()).isFalse();
    }

    @Test
    void anExitedChildIsNoLongerRunning() throws Exception {
        Process child = new ProcessBuilder("sh", "-c", "read line").start();
        ProcessIdentity identity = ProcessIdentity.of(child.pid()).orElseThrow();
        assertThat(identity.isRunning()).isTrue();

        child.getOutputStream().close();

        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(identity.isRunning()).isFalse();
        assertThat(ProcessIdentity.of(child.pid())).isEmpty();
    }

    @Test
    void malformedTextIsRejectedSayingTheFormat() {
        assertThatThrownBy(() -> ProcessIdentity.parse("1234")).hasMessageContaining("<pid>@<start>");
        assertThatThrownBy(() -> new ProcessIdentity(0, 1)).hasMessageContaining("pid");
    }
}
