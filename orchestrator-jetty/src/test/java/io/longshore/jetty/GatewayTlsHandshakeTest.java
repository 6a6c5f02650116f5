package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.longshore.testkit.ScriptedBackend;
import io.longshore.testkit.ScriptedResponse;
import io.longshore.testkit.TestCertificates;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The standalone gateway's TLS handshakes, with either provider: their costly tasks run on the handshake executor,
 * not on the event loop, so a handshake in progress holds up no connected client; a handshake
 * whose task cannot be run, or that does not finish within the request-head timeout, is counted
 * as failed and closes only its own connection.
 */
@ParameterizedClass
@EnumSource(value = Tls.Provider.class, names = {"JDK", "CONSCRYPT"})
class GatewayTlsHandshakeTest {
    /** The JDK's engines hand over delegated tasks, Conscrypt's whole handshake steps: both must stay off the loop. */
    @Parameter
    Tls.Provider provider;
    @TempDir
    Path dir;
    private ScriptedBackend backend;
    private Gateway gateway;
    private SSLContext trusting;
    /** The handshake tasks handed to the gateway's executor, run only when the test says so. */
    private final BlockingQueue<Runnable> held = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private void start(UnaryOperator<Tls.Builder> tls, UnaryOperator<GatewayBuilder> gatewayOptions) throws Exception {
        TestCertificates.Certificate a = TestCertificates.make(dir, "a.test", "a.test");
        trusting = TestCertificates.trusting(a.x509());
        backend = ScriptedBackend.start(request -> ScriptedResponse.ok(request.target() + " "
                + request.header("X-Forwarded-Proto")));
        Tls config = tls.apply(Tls.builder().port(0).provider(provider).certificate(a.certificate(), a.key())).build();
        gateway = gatewayOptions.apply(Gateway.builder().router(new RoundRobinTestRouter(backend.port())).tls(config)
                .port(0).adminEnabled(false).ioThreads(1)).build().start();
    }

    private CompletableFuture<SSLSocket> connectLater() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                SSLSocket socket = (SSLSocket) trusting.getSocketFactory().createSocket("127.0.0.1", gateway.tlsPort());
                socket.setSoTimeout(10_000);
                socket.startHandshake();
                return socket;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Runs the held handshake tasks until {@code handshake} is done. */
    private SSLSocket runTasksUntilDone(CompletableFuture<SSLSocket> handshake) throws Exception {
        while (!handshake.isDone()) {
            Runnable task = held.poll(50, TimeUnit.MILLISECONDS);
            if (task != null) {
                task.run();
            }
        }
        return handshake.get();
    }

    private double counter(String name) {
        return gateway.meterRegistry().get(name).functionCounter().count();
    }

    @Test
    void aHandshakeWhoseTaskIsStillRunningHoldsUpNoConnectedClient() throws Exception {
        start(tls -> tls.handshakeExecutor(held::add), gateway -> gateway);
        try (SSLSocket first = runTasksUntilDone(connectLater())) {
            CompletableFuture<SSLSocket> second = connectLater();
            Runnable secondsTask = held.poll(10, TimeUnit.SECONDS);
            assertThat(secondsTask).as("the second handshake's task, handed to the executor").isNotNull();

            // the one event loop answers the first client while the second handshake's task waits
            assertThat(GatewayTlsTest.exchange(first, "/meanwhile")).isEqualTo("/meanwhile https");
            assertThat(second).isNotDone();

            secondsTask.run();
            try (SSLSocket later = runTasksUntilDone(second)) {
                assertThat(GatewayTlsTest.exchange(later, "/after")).isEqualTo("/after https");
            }
        }
        assertThat(counter("longshore.gateway.tls.handshakes")).isEqualTo(2);
        assertThat(counter("longshore.gateway.tls.handshake.failures")).isZero();
    }

    @Test
    void aHandshakeWhoseTaskIsRejectedIsCountedAsFailedAndClosesOnlyItsConnection() throws Exception {
        AtomicBoolean reject = new AtomicBoolean();
        start(tls -> tls.handshakeExecutor(task -> {
            if (reject.get()) {
                throw new RejectedExecutionException("the handshake pool is full");
            }
            task.run();
        }), gateway -> gateway);
        try (SSLSocket good = connectLater().get(10, TimeUnit.SECONDS)) {
            reject.set(true);

            assertThatThrownBy(() -> connectLater().get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IOException.class);

            assertThat(counter("longshore.gateway.tls.handshake.failures")).isEqualTo(1);
            assertThat(GatewayTlsTest.exchange(good, "/still")).isEqualTo("/still https");
        }
    }

    /**
     * A handshake step still queued when its connection closed (here by the request-head
     * deadline) is skipped when its turn comes: the executor's time goes to live handshakes.
     * What the step would have done is a key exchange and a signature, memory this thread would
     * allocate; skipped, it allocates next to none. (Conscrypt computes in native memory, which
     * the JVM does not count, so only the JDK's engine tells the two apart.)
     */
    @Test
    void aHandshakeStepQueuedForAConnectionAlreadyClosedIsSkipped() throws Exception {
        start(tls -> tls.handshakeExecutor(held::add), gateway -> gateway.requestHeadTimeout(Duration.ofMillis(300)));
        CompletableFuture<SSLSocket> handshake = connectLater();
        Runnable step = held.poll(10, TimeUnit.SECONDS);
        assertThat(step).as("the handshake's step, handed to the executor").isNotNull();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(counter("longshore.gateway.tls.handshake.failures")).isEqualTo(1));

        long allocated = allocatedByThisThread();
        step.run();
        allocated = allocatedByThisThread() - allocated;

        assertThat(allocated).as("bytes the step allocated").isLessThan(16 * 1024);
        assertThat(handshake).failsWithin(Duration.ofSeconds(10));
        assertThat(counter("longshore.gateway.tls.handshakes")).isZero();
    }

    /** The JDK's count of the bytes this thread allocated (com.sun.management, read reflectively: the module does not require it). */
    private static long allocatedByThisThread() throws ReflectiveOperationException {
        return (long) Class.forName("com.sun.management.ThreadMXBean").getMethod("getThreadAllocatedBytes", long.class)
                .invoke(java.lang.management.ManagementFactory.getThreadMXBean(), Thread.currentThread().getId());
    }

    @Test
    void aHandshakeNotDoneWithinTheRequestHeadTimeoutIsClosedAndCounted() throws Exception {
        start(tls -> tls, gateway -> gateway.requestHeadTimeout(Duration.ofMillis(300)));
        try (Socket stalled = new Socket("127.0.0.1", gateway.tlsPort())) {
            stalled.setSoTimeout(10_000);
            stalled.getOutputStream().write(new byte[] {0x16, 0x03, 0x01}); // the start of a record header, then nothing

            int read;
            try {
                read = stalled.getInputStream().read();
                while (read >= 0) {
                    read = stalled.getInputStream().read(); // an alert, perhaps, then the end
                }
            } catch (IOException reset) {
                read = -1;
            }
            assertThat(read).isEqualTo(-1);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(counter("longshore.gateway.tls.handshake.failures")).isEqualTo(1));
    }
}
