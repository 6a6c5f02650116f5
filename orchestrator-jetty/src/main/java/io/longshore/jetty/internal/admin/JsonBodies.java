package io.longshore.jetty.internal.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The JSON object an admin request carries, read whole without blocking or refused with the
 * status and message to answer: 413 for a body over its bound, 408 for one that does not come
 * within its deadline, 400 for one that is not a single JSON object (trailing
 * content included, given a mapper with {@code FAIL_ON_TRAILING_TOKENS}) or that has a field the
 * path does not take. Stateless.
 */
final class JsonBodies {
    /** How long a client may take to send a whole body by default; slower ones get 408. */
    static final Duration DEADLINE = Duration.ofSeconds(10);
    /** The most bytes of a body over its bound read and dropped before it is refused. */
    static final long DRAIN_LIMIT = 1 << 20;

    private JsonBodies() {
    }

    /** Why a body was refused: the status and the message to answer with. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /**
     * The request's body as text, read as its bytes come on whichever thread brings them, so no
     * admin thread waits on a slow client (the admin server has only a few). Fails with a
     * {@link Refused}: 413 when the body is longer than {@code max} bytes, 408 when the whole
     * body has not come within {@code deadline}. A body over the bound is read on and dropped up
     * to {@link #DRAIN_LIMIT} before the 413 goes out, so that a client still sending it reads
     * the answer rather than a reset (a larger {@code Content-Length} is refused before anything
     * is read). Any other failure means the body could not be read (the client left or broke its
     * framing).
     */
    static CompletableFuture<String> text(Request request, int max, Duration deadline) {
        CompletableFuture<String> body = new CompletableFuture<>();
        if (request.getLength() > DRAIN_LIMIT) {
            body.completeExceptionally(tooLarge(max));
            return body;
        }
        Scheduler.Task timer = request.getComponents().getScheduler().schedule(() -> body.completeExceptionally(
                new Refused(HttpStatus.REQUEST_TIMEOUT_408, "the body did not arrive within " + say(deadline))),
                deadline.toMillis(), TimeUnit.MILLISECONDS);
        body.whenComplete((text, error) -> timer.cancel());
        new BodyRead(request, max, body).run();
        return body;
    }

    /** {@code deadline} as a person says it: {@code 10 s}, or {@code 250 ms} when not whole seconds. */
    static String say(Duration deadline) {
        return deadline.toMillis() % 1000 == 0 ? deadline.toSeconds() + " s" : deadline.toMillis() + " ms";
    }

    /** One body being read: reads what has come, then asks to be run again when more does. */
    private static final class BodyRead implements Runnable {
        private final Request request;
        private final int max;
        private final CompletableFuture<String> body;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        /** Bytes read in all; past {@code max}, the rest is only drained. */
        private long read;

        BodyRead(Request request, int max, CompletableFuture<String> body) {
            this.request = request;
            this.max = max;
            this.body = body;
        }

        @Override
        public void run() {
            while (!body.isDone()) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    body.completeExceptionally(chunk.getFailure());
                    return;
                }
                ByteBuffer buffer = chunk.getByteBuffer();
                read += buffer.remaining();
                if (read > max) {
                    chunk.release();
                    if (chunk.isLast() || read > DRAIN_LIMIT) {
                        body.completeExceptionally(tooLarge(max));
                    }
                    continue; // drained: the refusal waits for the body's end
                }
                byte[] part = new byte[buffer.remaining()];
                buffer.get(part);
                bytes.writeBytes(part);
                chunk.release();
                if (chunk.isLast()) {
                    body.complete(bytes.toString(StandardCharsets.UTF_8));
                }
            }
        }
    }

    /**
     * {@code text} as a JSON object whose fields are all among {@code fields}, refused 400 with a
     * message that names what is wrong and ends with {@code expected}.
     */
    static JsonNode object(ObjectMapper json, String text, List<String> fields, String expected) throws Refused {
        JsonNode root;
        try {
            root = text.isBlank() ? null : json.readTree(text);
        } catch (JsonProcessingException e) {
            throw badRequest("the body is not one JSON value (" + e.getOriginalMessage() + ")", expected);
        }
        if (root == null || !root.isObject()) {
            throw badRequest("the body is not a JSON object", expected);
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw badRequest("unknown field '" + name + "'", expected);
            }
        }
        return root;
    }

    private static Refused badRequest(String what, String expected) {
        return new Refused(HttpStatus.BAD_REQUEST_400, what + "; expected " + expected);
    }

    private static Refused tooLarge(int max) {
        return new Refused(HttpStatus.PAYLOAD_TOO_LARGE_413, "the body exceeds " + max + " bytes");
    }
}
