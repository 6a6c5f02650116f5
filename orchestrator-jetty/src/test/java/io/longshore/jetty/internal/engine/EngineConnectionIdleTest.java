package io.longshore.jetty.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.ByteArrayEndPoint;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How a connection takes Jetty's idle expiry, on a clock the test moves (and a handler that throws): Jetty reads the last
 * activity's time before it reports, so a report may arrive for a generation that has just
 * begun (a pooled replica connection handed to a request at the moment its idle timeout ran
 * out). Such a report must not time the new generation out; a real one, a whole timeout into
 * a generation, must. The end point's idle timeout is a minute, so Jetty's own checks never
 * fire while a test runs: every report here is the test's.
 */
class EngineConnectionIdleTest {
    private static final long TIMEOUT_MILLIS = 60_000;

    private final Queue<Runnable> worker = new ArrayDeque<>();
    private final ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler();
    private long nanos = 1_000_000_000L;
    private ByteArrayEndPoint endPoint;
    private Probe connection;

    @BeforeEach
    void open() throws Exception {
        scheduler.start();
        endPoint = new ByteArrayEndPoint(scheduler, TIMEOUT_MILLIS);
        connection = new Probe(endPoint);
    }

    @AfterEach
    void close() throws Exception {
        endPoint.close();
        scheduler.stop();
    }

    @Test
    void anExpiryReportedJustAfterANewGenerationBeganIsIgnored() {
        advanceMillis(TIMEOUT_MILLIS); // idle in the pool for the whole timeout
        connection.nextGeneration(); // handed to a request...
        advanceMillis(1);

        boolean close = connection.onIdleExpired(new TimeoutException("stale")); // ...as Jetty's check fires
        runWorker();

        assertThat(close).isFalse();
        assertThat(connection.timeouts).as("the request just sent is not timed out").isZero();
    }

    @Test
    void anExpiryAWholeTimeoutIntoAGenerationTimesItOut() {
        connection.nextGeneration();
        advanceMillis(TIMEOUT_MILLIS);

        boolean close = connection.onIdleExpired(new TimeoutException("silent"));
        runWorker();

        assertThat(close).as("the connection decides, not Jetty").isFalse();
        assertThat(connection.timeouts).isEqualTo(1);
    }

    @Test
    void aConnectionGoingIdleAMomentAfterItsLastBytesTimesOutOneTimeoutLater() {
        advanceMillis(1); // its last bytes were written a moment before it went back to idle
        connection.nextGeneration();
        advanceMillis(TIMEOUT_MILLIS - 1);

        connection.onIdleExpired(new TimeoutException("idle"));
        runWorker();

        assertThat(connection.timeouts).isEqualTo(1);
    }

    @Test
    void anExpiryWhoseGenerationEndsBeforeTheWorkerRunsItIsDropped() {
        connection.nextGeneration();
        advanceMillis(TIMEOUT_MILLIS);

        connection.onIdleExpired(new TimeoutException("late"));
        connection.nextGeneration(); // the answer came first on the worker
        runWorker();

        assertThat(connection.timeouts).isZero();
    }

    @Test
    void aHandlerThatThrowsEndsTheConnectionsWorkInsteadOfEscapingToTheLoop() {
        connection.throwOnTimeout = true;
        connection.nextGeneration();
        advanceMillis(TIMEOUT_MILLIS);

        connection.onIdleExpired(new TimeoutException("silent"));
        runWorker(); // throws out of here without the guard

        assertThat(connection.timeouts).isEqualTo(1);
        assertThat(connection.faults).isEqualTo(1);
    }

    private void advanceMillis(long millis) {
        nanos += TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private void runWorker() {
        for (Runnable task = worker.poll(); task != null; task = worker.poll()) {
            task.run();
        }
    }

    /** A connection that counts its timeouts. */
    private final class Probe extends EngineConnection {
        int timeouts;
        int faults;
        boolean throwOnTimeout;

        Probe(ByteArrayEndPoint endPoint) {
            super(endPoint, worker::add, () -> nanos);
        }

        @Override
        void timedOut() {
            timeouts++;
            if (throwOnTimeout) {
                throw new IllegalStateException("a defect in a handler");
            }
        }

        @Override
        void afterFault() {
            faults++;
        }

        @Override
        void onFillable() {
        }

        @Override
        void onReadFailed(Throwable failure) {
        }

        @Override
        public void onOpen() {
        }

        @Override
        public void onClose(Throwable cause) {
        }
    }
}
