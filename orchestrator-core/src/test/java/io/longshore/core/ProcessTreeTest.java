package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

/**
 * How the process tree decides that a process is gone, zombies and reaping included. The reads
 * of {@code /proc} and {@link ProcessHandle#isAlive()} are passed in, so the race with the JDK's
 * reaper thread is reproduced exactly instead of hoped for.
 */
class ProcessTreeTest {
    @Test
    void aZombieReapedWhileItIsBeingCheckedIsNotRunning() {
        // A zombie child that the JDK reaps right after the first look at it: from then on it
        // has no /proc entry (so no zombie state) and is not alive.
        AtomicBoolean reaped = new AtomicBoolean();
        LongPredicate zombie = pid -> !reaped.getAndSet(true);
        BooleanSupplier alive = () -> !reaped.getAndSet(true);

        assertThat(ProcessTree.isRunning(42, zombie, alive)).isFalse();
    }

    @Test
    void aLiveProcessIsRunningWhileAZombieOrAReapedOneIsNot() {
        assertThat(ProcessTree.isRunning(42, pid -> false, () -> true)).as("alive").isTrue();
        assertThat(ProcessTree.isRunning(42, pid -> true, () -> true)).as("zombie").isFalse();
        assertThat(ProcessTree.isRunning(42, pid -> false, () -> false)).as("reaped").isFalse();
    }

    @Test
    void theCurrentProcessIsRunning() {
        assertThat(ProcessTree.isRunning(ProcessHandle.current())).isTrue();
    }
}
