package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code /proc} poller's life after {@code close()}: a watch made to outlive it (a watchdog
 * to release) still sees its process exit, the others are dropped, and the thread ends once
 * nothing is left to watch.
 */
class ProcessExitPollerTest {
    private static final Duration AWAIT = Duration.ofSeconds(30);

    private final ProcessExitPoller poller = new ProcessExitPoller();
    private final List<Process> children = new ArrayList<>();
    private final AtomicInteger exits = new AtomicInteger();

    @AfterEach
    void endEverything() {
        poller.close();
        children.forEach(Process::destroyForcibly);
    }

    @Test
    void aWatchThatOutlivesCloseStillSeesItsProcessExitAndThenTheThreadEnds() throws IOException {
        Process child = spawn();
        poller.watch("child", identity(child), true, exits::incrementAndGet);

        poller.close();
        assertThat(poller.polling()).as("a process is still watched").isTrue();
        child.destroy();

        await().atMost(AWAIT).until(() -> exits.get() == 1);
        await().atMost(AWAIT).until(() -> !poller.polling());
    }

    @Test
    void closeDropsTheWatchesThatOnlyReportAndEndsTheThreadWhenNoneIsLeft() throws Exception {
        Process child = spawn();
        poller.watch("child", identity(child), false, exits::incrementAndGet);
        assertThat(poller.polling()).isTrue();

        poller.close();
        await().atMost(AWAIT).until(() -> !poller.polling());
        child.destroy();
        child.waitFor();

        assertThat(exits).as("the thread had ended before the exit").hasValue(0);
    }

    @Test
    void forgettingTheLastWatchAfterCloseEndsTheThread() throws IOException {
        Process child = spawn();
        poller.watch("child", identity(child), true, exits::incrementAndGet);
        poller.close();

        poller.forget("child");

        await().atMost(AWAIT).until(() -> !poller.polling());
        assertThat(child.isAlive()).isTrue();
        assertThat(exits).hasValue(0);
    }

    @Test
    void aWatchThatOutlivesCloseIsTakenAfterCloseToo() throws IOException {
        poller.close();
        Process reported = spawn();
        Process released = spawn();

        poller.watch("reported", identity(reported), false, exits::incrementAndGet);
        poller.watch("released", identity(released), true, exits::incrementAndGet);
        released.destroy();

        await().atMost(AWAIT).until(() -> exits.get() == 1);
        await().atMost(AWAIT).until(() -> !poller.polling());
    }

    private Process spawn() throws IOException {
        Process child = new ProcessBuilder("sleep", "60").start();
        children.add(child);
        return child;
    }

    private static ProcessIdentity identity(Process child) {
        return ProcessIdentity.of(child.pid()).orElseThrow();
    }
}
