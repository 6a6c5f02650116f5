package io.longshore.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.longshore.examples.acts.ActsServer;
import io.longshore.examples.acts.H2DatabaseServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An acts replica run as the seed main runs it ({@link ActsCommand}: its small heap included)
 * takes the largest bodies it accepts on every one of its workers at once, lists 100 acts of
 * the largest image in one answer, and stays up.
 */
class ActsReplicaMemoryTest {
    /** One body per worker thread of the replica: as many as it reads at once. */
    private static final int CONCURRENT_BODIES = 4;
    /**
     * The acts of the largest image in the listed category: the most one listing holds. Built
     * whole in memory, their listing ran the replica out of heap from 7 of them on.
     */
    private static final int LISTED_ACTS = 100;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private H2DatabaseServer database;
    private Process replica;

    @AfterEach
    void stop() throws InterruptedException {
        if (replica != null) {
            replica.destroyForcibly();
            replica.waitFor(30, TimeUnit.SECONDS);
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aReplicaWithItsSmallHeapStoresTheLargestActsItAcceptsOnEveryWorkerAtOnceAndStaysHealthy(
            @TempDir Path dir) throws Exception {
        int port = startReplica(dir);
        assertThat(send(port, "POST", "/api/v1/categories", "[\"big\"]".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(201);

        List<CompletableFuture<Integer>> answers = IntStream.range(0, CONCURRENT_BODIES)
                .mapToObj(i -> sendAsync(port, "POST", "/api/v1/acts", largestAct(i))).toList();
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<Integer> answer : answers) {
            statuses.add(answer.get(120, TimeUnit.SECONDS));
        }

        assertThat(statuses).as("answers to %d acts of %d bytes (-1: no answer)", CONCURRENT_BODIES,
                ActsServer.MAX_BODY_BYTES).containsOnly(201);
        assertThat(replica.isAlive()).as("the replica process is alive").isTrue();
        assertThat(send(port, "GET", "/api/v1/_health", null)).isEqualTo(200);
        assertThat(send(port, "GET", "/api/v1/categories/big/acts", null)).isEqualTo(200);
    }

    @Test
    void aReplicaWithItsSmallHeapLists100ActsOfTheLargestImageInOneAnswerAndStaysHealthy(
            @TempDir Path dir) throws Exception {
        int port = startReplica(dir);
        assertThat(send(port, "POST", "/api/v1/categories", "[\"big\"]".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(201);
        for (int first = 0; first < LISTED_ACTS; first += CONCURRENT_BODIES) {
            List<CompletableFuture<Integer>> answers = IntStream.range(first, Math.min(first + CONCURRENT_BODIES,
                    LISTED_ACTS)).mapToObj(i -> sendAsync(port, "POST", "/api/v1/acts", largestAct(i))).toList();
            for (CompletableFuture<Integer> answer : answers) {
                assertThat(answer.get(120, TimeUnit.SECONDS)).as("POST of an act from %d on", first).isEqualTo(201);
            }
        }

        Listing listing = list(port, "/api/v1/categories/big/acts");

        assertThat(listing.status()).as("status of the listing").isEqualTo(200);
        assertThat(listing.actIds()).containsExactlyElementsOf(LongStream.range(0, LISTED_ACTS).boxed().toList());
        assertThat(listing.imageLengths()).hasSize(LISTED_ACTS).containsOnly(ActsServer.MAX_IMAGE_B64_LENGTH);
        assertThat(replica.isAlive()).as("the replica process is alive").isTrue();
        assertThat(send(port, "GET", "/api/v1/_health", null)).isEqualTo(200);
    }

    /** A listing as it streamed in: its status, and each act's id and image length (never the images). */
    private record Listing(int status, List<Long> actIds, List<Integer> imageLengths) {
    }

    /** The listing at {@code path}; fails when it has not come whole within two minutes. */
    private Listing list(int port, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                .thenApply(ActsReplicaMemoryTest::read)
                .get(120, TimeUnit.SECONDS);
    }

    private static Listing read(HttpResponse<InputStream> response) {
        List<Long> ids = new ArrayList<>();
        List<Integer> images = new ArrayList<>();
        try (JsonParser parser = new JsonFactory().createParser(response.body())) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.VALUE_NUMBER_INT && "actId".equals(parser.currentName())) {
                    ids.add(parser.getLongValue());
                } else if (token == JsonToken.VALUE_STRING && "imgB64".equals(parser.currentName())) {
                    images.add(parser.getTextLength());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Listing(response.statusCode(), ids, images);
    }

    private int startReplica(Path dir) throws IOException {
        database = H2DatabaseServer.start(dir.resolve("acts-db"));
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(ActsCommand.forThisJvm()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("replica.log").toFile());
        builder.environment().putAll(database.settings().environment());
        builder.environment().put("PORT", Integer.toString(port));
        replica = builder.start();
        await("the replica's health").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> send(port, "GET", "/api/v1/_health", null) == 200);
        return port;
    }

    /** An act whose body is exactly {@link ActsServer#MAX_BODY_BYTES} long: the longest image, then blanks. */
    private static byte[] largestAct(int actId) {
        String head = "{\"actId\": " + actId + ", \"username\": \"ann\", \"caption\": \"big\","
                + " \"categoryName\": \"big\", \"imgB64\": \"";
        String tail = "\"}";
        int image = Math.min(ActsServer.MAX_IMAGE_B64_LENGTH, ActsServer.MAX_BODY_BYTES - head.length() - tail.length())
                / 4 * 4;
        String body = head + "A".repeat(image) + tail;
        return (body + " ".repeat(ActsServer.MAX_BODY_BYTES - body.length())).getBytes(StandardCharsets.US_ASCII);
    }

    /** The status of the answer, or -1 when there was none (the connection broke or timed out). */
    private int send(int port, String method, String path, byte[] body) throws Exception {
        return sendAsync(port, method, path, body).get(120, TimeUnit.SECONDS);
    }

    private CompletableFuture<Integer> sendAsync(int port, String method, String path, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .thenApply(HttpResponse::statusCode)
                .exceptionally(failure -> -1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
