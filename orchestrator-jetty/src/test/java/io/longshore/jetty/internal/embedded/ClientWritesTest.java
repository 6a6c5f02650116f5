package io.longshore.jetty.internal.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.WritePendingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.io.ByteArrayEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;
import org.junit.jupiter.api.Test;

/**
 * Held client writes over Jetty's in-memory end points, with the test's thread standing in for
 * the replicas' selector thread and the release tasks run by hand, as the selector runs them
 * before it next waits.
 */
class ClientWritesTest {
    private final ClientWrites writes = new ClientWrites();
    private final List<Runnable> releases = new ArrayList<>();

    ClientWritesTest() {
        writes.beforeNextWait(releases::add);
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    private void runReleases() {
        List<Runnable> due = new ArrayList<>(releases);
        releases.clear();
        due.forEach(Runnable::run);
    }

    @Test
    void aWriteFromAnotherThreadThanTheSelectorsGoesAtOnce() throws Exception {
        Thread selector = new Thread(() -> { });
        writes.selecting(selector);
        ByteArrayEndPoint client = new ByteArrayEndPoint();
        FutureCallback written = new FutureCallback();
        writes.holdingWrites(client).write(written, bytes("frame"));
        assertThat(client.getOutputString()).isEqualTo("frame");
        assertThat(written.isDone()).isTrue();
        assertThat(releases).isEmpty();
    }

    @Test
    void aWriteOnTheSelectorsThreadWaitsForTheEndOfTheRound() {
        writes.selecting(Thread.currentThread());
        ByteArrayEndPoint client = new ByteArrayEndPoint();
        FutureCallback written = new FutureCallback();
        writes.holdingWrites(client).write(written, bytes("frame"));
        assertThat(client.getOutputString()).isEmpty();
        assertThat(written.isDone()).isFalse();
        runReleases();
        assertThat(client.getOutputString()).isEqualTo("frame");
        assertThat(written.isDone()).isTrue();
    }

    @Test
    void oneReleaseARoundMakesTheHeldWritesOfEveryConnection() {
        writes.selecting(Thread.currentThread());
        ByteArrayEndPoint first = new ByteArrayEndPoint();
        ByteArrayEndPoint second = new ByteArrayEndPoint();
        writes.holdingWrites(first).write(Callback.NOOP, bytes("one"));
        writes.holdingWrites(second).write(Callback.NOOP, bytes("two"));
        assertThat(releases).hasSize(1);
        runReleases();
        assertThat(first.getOutputString()).isEqualTo("one");
        assertThat(second.getOutputString()).isEqualTo("two");
        writes.holdingWrites(first).write(Callback.NOOP, bytes("three"));
        assertThat(releases).as("the next round asks again").hasSize(1);
    }

    @Test
    void theWriteAWriterMakesWhenItsHeldWriteCompletesGoesAtOnce() {
        writes.selecting(Thread.currentThread());
        ByteArrayEndPoint client = new ByteArrayEndPoint();
        EndPoint held = writes.holdingWrites(client);
        // as a connection's flusher does: the frames that gathered meanwhile go when the last write completes
        held.write(Callback.from(() -> held.write(Callback.NOOP, bytes(" gathered"))), bytes("first"));
        runReleases();
        assertThat(client.getOutputString()).isEqualTo("first gathered");
        assertThat(releases).isEmpty();
    }

    @Test
    void aLastWriteIsHeldLikeAnyOtherAndShutsTheOutputOnceMade() {
        writes.selecting(Thread.currentThread());
        ByteArrayEndPoint client = new ByteArrayEndPoint();
        writes.holdingWrites(client).write(true, bytes("frame"), Callback.NOOP);
        assertThat(client.getOutputString()).isEmpty();
        assertThat(client.isOutputShutdown()).isFalse();
        runReleases();
        assertThat(client.getOutputString()).isEqualTo("frame");
        assertThat(client.isOutputShutdown()).isTrue();
    }

    @Test
    void aCancelledHeldWriteIsNeverMadeAndItsCallbackIsReturned() {
        writes.selecting(Thread.currentThread());
        ByteArrayEndPoint client = new ByteArrayEndPoint();
        EndPoint held = writes.holdingWrites(client);
        FutureCallback written = new FutureCallback();
        held.write(written, bytes("frame"));
        assertThat(held.cancelWrite(new Exception("idle"))).isSameAs(written);
        runReleases();
        assertThat(client.getOutputString()).isEmpty();
    }

    @Test
    void aSecondWriteWhileOneIsHeldIsRefusedAsJettyRefusesIt() {
        writes.selecting(Thread.currentThread());
        EndPoint held = writes.holdingWrites(new ByteArrayEndPoint());
        held.write(Callback.NOOP, bytes("frame"));
        assertThatThrownBy(() -> held.write(Callback.NOOP, bytes("more"))).isInstanceOf(WritePendingException.class);
    }

    @Test
    void readsAndTheConnectionGoToTheWrappedEndPoint() throws Exception {
        ByteArrayEndPoint client = new ByteArrayEndPoint("request", 64);
        EndPoint held = writes.holdingWrites(client);
        ByteBuffer in = ByteBuffer.allocate(64);
        in.flip();
        assertThat(held.fill(in)).isEqualTo(7);
        assertThat(StandardCharsets.US_ASCII.decode(in).toString()).isEqualTo("request");
        held.close(null);
        assertThat(client.isOpen()).isFalse();
    }
}
