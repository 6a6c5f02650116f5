package io.longshore.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Healthy when {@code GET <path>} on the replica answers 2xx or 3xx (redirects are not
 * followed); the reason is the status code or the error. Built on the JDK's HTTP client
 * (HTTP/1.1, no proxy), whose asynchronous sends hold no thread while they wait; the client's
 * threads are daemons and end when the probe is no longer referenced. Thread-safe.
 */
final class JdkHttpHealthProbe implements HealthProbe {
    private final String path;
    private final Duration requestTimeout;
    private final HttpClient client;

    JdkHttpHealthProbe(String path, Duration connectTimeout, Duration responseTimeout) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/', was " + path);
        }
        this.path = path;
        this.requestTimeout = requirePositive(connectTimeout, "connectTimeout")
                .plus(requirePositive(responseTimeout, "responseTimeout"));
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .build();
    }

    private static Duration requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    @Override
    public CompletionStage<ProbeResult> probe(Backend backend) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri(backend.endpoint()))
                    .timeout(requestTimeout)
                    .GET()
                    .build();
            return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .handle((response, error) -> error == null ? judge(response.statusCode()) : failure(error));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(ProbeResult.fail(String.valueOf(e)));
        }
    }

    private URI uri(Endpoint endpoint) {
        String host = endpoint.host().contains(":") ? "[" + endpoint.host() + "]" : endpoint.host();
        return URI.create("http://" + host + ":" + endpoint.port() + path);
    }

    private static ProbeResult judge(int status) {
        String reason = Integer.toString(status);
        return status >= 200 && status < 400 ? ProbeResult.pass(reason) : ProbeResult.fail(reason);
    }

    private static ProbeResult failure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return ProbeResult.fail(String.valueOf(cause));
    }

    @Override
    public String toString() {
        return "http(" + path + ")";
    }
}
