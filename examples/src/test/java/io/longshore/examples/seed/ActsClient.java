package io.longshore.examples.seed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A client of the acts API as a careful user writes one: a POST whose outcome is unknown (a
 * 5xx from the gateway, a reset, a timeout) is sent again until it gets an answer that settles
 * it, 201 (created now) or 409 (created by an earlier attempt). Thread-safe.
 */
final class ActsClient {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** How long one act may take, retries included, before the test gives up on it. */
    static final Duration GIVE_UP_AFTER = Duration.ofSeconds(90);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(100);
    /** The most acts one listing holds. */
    private static final int LISTING_RANGE = 100;

    /** How one POST ended: its final status and the statuses (or errors) of every attempt. */
    record Outcome(long actId, int status, List<String> attempts) {
        /** Created, by this attempt (201) or by an earlier one whose answer was lost (409 after a retry). */
        boolean stored() {
            return status == 201 || (status == 409 && attempts.size() > 1);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final io.longshore.api.Clock clock = io.longshore.api.Clock.system();

    /** Creates the category through {@code port}, retrying while the answer is unknown; 201 or 409. */
    String createCategory(int port, String name) throws InterruptedException {
        List<String> attempts = postUntilSettled(port, "/api/v1/categories", "[\"" + name + "\"]");
        return attempts.get(attempts.size() - 1);
    }

    /** Posts act {@code actId} in {@code category} through {@code port} until it is settled. */
    Outcome postAct(int port, long actId, String category) throws InterruptedException {
        String body = "{\"actId\": " + actId + ", \"username\": \"chaos\", \"timestamp\": \"01-01-2024:00-00-00\","
                + " \"caption\": \"act " + actId + "\", \"categoryName\": \"" + category + "\", \"imgB64\": \"aGk=\"}";
        List<String> attempts = postUntilSettled(port, "/api/v1/acts", body);
        String last = attempts.get(attempts.size() - 1);
        return new Outcome(actId, last.matches("\\d+") ? Integer.parseInt(last) : -1, attempts);
    }

    /**
     * The ids of the acts in {@code category}, in the order the replica lists them, read in
     * ranges of {@value #LISTING_RANGE} (the most one listing holds) until one comes back short.
     */
    List<Long> actIds(int port, String category) throws IOException, InterruptedException {
        List<Long> ids = new ArrayList<>();
        for (long start = 1; ; start += LISTING_RANGE) {
            String path = "/api/v1/categories/" + category + "/acts?start=" + start
                    + "&end=" + (start + LISTING_RANGE - 1);
            HttpResponse<String> response = get(port, path);
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + path + " on " + port + ": " + response.statusCode() + " "
                        + response.body());
            }
            JsonNode range = json.readTree(response.body());
            for (JsonNode act : range) {
                ids.add(act.get("actId").asLong());
            }
            if (range.size() < LISTING_RANGE) {
                return ids;
            }
        }
    }

    /** {@code GET /api/v1/acts/count} on {@code port}. */
    long actCount(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = get(port, "/api/v1/acts/count");
        if (response.statusCode() != 200) {
            throw new AssertionError("GET count on " + port + ": " + response.statusCode() + " " + response.body());
        }
        return json.readTree(response.body()).get(0).asLong();
    }

    HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(port, path)).timeout(REQUEST_TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(int port, String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(port, path)).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every attempt's status (or error); the last one is 2xx or 4xx, or the test gave up. */
    private List<String> postUntilSettled(int port, String path, String body) throws InterruptedException {
        List<String> attempts = new ArrayList<>();
        long deadline = clock.nanoTime() + GIVE_UP_AFTER.toNanos();
        while (clock.nanoTime() < deadline) {
            try {
                int status = post(port, path, body).statusCode();
                attempts.add(String.valueOf(status));
                if (status < 500) {
                    return attempts;
                }
            } catch (IOException e) {
                attempts.add(e.getClass().getSimpleName());
            }
            LockSupport.parkNanos(RETRY_PAUSE.toNanos());
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        attempts.add("gave up");
        return attempts;
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
