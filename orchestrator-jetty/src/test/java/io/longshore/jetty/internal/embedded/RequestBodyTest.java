package io.longshore.jetty.internal.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.junit.jupiter.api.Test;

/**
 * Whether a client's body, as the body of an attempt, waits on its client — what the replica
 * connection's idle timeout asks before it blames the replica's silence — over a scripted
 * client request whose demands the test fires by hand, as the host server would.
 */
class RequestBodyTest {
    private final Deque<Content.Chunk> chunks = new ArrayDeque<>();
    private Runnable clientDemand;
    private final RequestBody body = new RequestBody(clientRequest(), 1 << 20, 4096);
    private int wakeUps;

    /** A host request of 10 bytes whose reads give the scripted chunks and whose demand the test fires. */
    private Request clientRequest() {
        return (Request) Proxy.newProxyInstance(Request.class.getClassLoader(), new Class<?>[] {Request.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "read" -> chunks.poll();
                    case "demand" -> {
                        clientDemand = (Runnable) args[0];
                        yield null;
                    }
                    case "getLength" -> 10L;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static Content.Chunk bytes(String text) {
        return Content.Chunk.from(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)), false);
    }

    @Test
    void waitsForItsClientFromTheDemandUntilTheWokenReaderReadsBytes() {
        body.demand(() -> wakeUps++);
        assertThat(body.waitsForClient()).isTrue();

        chunks.add(bytes("01234"));
        clientDemand.run(); // the client's bytes came; the reader is woken but has not read them yet
        assertThat(wakeUps).isEqualTo(1);
        assertThat(body.waitsForClient()).as("woken, not yet read").isTrue();

        assertThat(body.read().remaining()).isEqualTo(5);
        assertThat(body.waitsForClient()).as("the replica has all the client sent, and is writing it").isFalse();
    }

    @Test
    void aReaderWokenByTheClientsIdleTimeoutStillWaitsOnItsClientBeforeAndAfterItReadsTheFailure() {
        body.demand(() -> wakeUps++);
        chunks.add(Content.Chunk.from(new TimeoutException("client idle"), false));
        clientDemand.run(); // the host's idle timeout for the client's connection

        // a replica idle timeout firing at this moment must not take the request for the replica's
        assertThat(body.waitsForClient()).isTrue();
        Content.Chunk failure = body.read();
        assertThat(Content.Chunk.isFailure(failure)).isTrue();
        assertThat(failure.getFailure()).isInstanceOf(Failures.ClientBodyException.class);
        assertThat(body.waitsForClient()).as("failing on its client's account").isTrue();
    }

    @Test
    void aRetryStartsWithTheReplicasTurn() {
        body.demand(() -> wakeUps++);
        chunks.add(Content.Chunk.from(ByteBuffer.wrap("0123456789".getBytes(StandardCharsets.US_ASCII)), true));
        clientDemand.run(); // woken, and the attempt is given up before its reader read

        body.restart();
        assertThat(body.waitsForClient()).isFalse();
    }
}
