package io.longshore.core;

import io.longshore.api.Backend;
import io.longshore.api.HealthProbe;
import io.longshore.api.ProbeResult;
import io.longshore.api.internal.Checks;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * The seed's health check: {@code GET <path>} on the replica, healthy on a 2xx or 3xx status
 * (redirects are not followed). The reason is the status code or the error. Built on Apache
 * HttpClient 5's asynchronous client, so a probe holds no thread while it waits; the client
 * has one I/O thread (a daemon) of its own.
 *
 * <p>Ownership: the probe owns its client, and whoever creates the probe closes it (the
 * orchestrator never closes a probe it was given, since a host may share one probe between
 * orchestrators). Closing twice is harmless. Thread-safe.
 */
public final class HttpHealthProbe implements HealthProbe, AutoCloseable {
    /** How long opening the connection may take. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofMillis(500);
    /** How long the answer may take once connected. */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(1);

    private final String path;
    private final CloseableHttpAsyncClient client;

    private HttpHealthProbe(Builder builder) {
        this.path = builder.path;
        this.client = HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(builder.connectTimeout))
                                .setSocketTimeout(Timeout.of(builder.responseTimeout))
                                .build())
                        .setMaxConnPerRoute(4)
                        .setMaxConnTotal(256)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(builder.responseTimeout))
                        .build())
                .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(1).build())
                .setThreadFactory(daemonThreads())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .build();
        client.start();
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "longshore-http-probe-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** A probe of {@code path} with the default timeouts. */
    public static HttpHealthProbe of(String path) {
        return builder(path).build();
    }

    public static Builder builder(String path) {
        return new Builder(path);
    }

    @Override
    public CompletionStage<ProbeResult> probe(Backend backend) {
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        SimpleHttpRequest request = SimpleRequestBuilder.get()
                .setHttpHost(new HttpHost("http", backend.endpoint().host(), backend.endpoint().port()))
                .setPath(path)
                .build();
        try {
            client.execute(request, new FutureCallback<SimpleHttpResponse>() {
                @Override
                public void completed(SimpleHttpResponse response) {
                    int code = response.getCode();
                    String reason = Integer.toString(code);
                    result.complete(code >= 200 && code < 400 ? ProbeResult.pass(reason) : ProbeResult.fail(reason));
                }

                @Override
                public void failed(Exception error) {
                    result.complete(ProbeResult.fail(String.valueOf(error)));
                }

                @Override
                public void cancelled() {
                    result.complete(ProbeResult.fail("cancelled"));
                }
            });
        } catch (RuntimeException e) {
            result.complete(ProbeResult.fail(String.valueOf(e)));
        }
        return result;
    }

    /** Closes the HTTP client; later probes fail. Idempotent. */
    @Override
    public void close() {
        client.close(CloseMode.GRACEFUL);
    }

    @Override
    public String toString() {
        return "http(" + path + ")";
    }

    /** Builds an {@link HttpHealthProbe}; each setter validates its argument. Not thread-safe. */
    public static final class Builder {
        private final String path;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;

        private Builder(String path) {
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("path must start with '/', was " + path);
            }
            this.path = path;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Checks.requirePositive(timeout, "connectTimeout");
            return this;
        }

        public Builder responseTimeout(Duration timeout) {
            this.responseTimeout = Checks.requirePositive(timeout, "responseTimeout");
            return this;
        }

        /** Builds the probe and starts its client. */
        public HttpHealthProbe build() {
            return new HttpHealthProbe(this);
        }
    }
}
