package io.longshore.docker;

import io.longshore.api.Clock;
import io.longshore.api.internal.Checks;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Builds a {@link DockerRuntime}; each setter validates its argument. Not thread-safe.
 *
 * <pre>{@code
 * try (DockerRuntime docker = DockerRuntime.builder().build()) { ... }
 * }</pre>
 */
public final class DockerRuntimeBuilder {
    /** The engine API version spoken unless told otherwise: 1.41 (Docker 20.10), no newer. */
    public static final String DEFAULT_API_VERSION = "1.41";
    /** Default time to connect to the engine and to wait for an event stream to start. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default time to wait for one answer of the engine. */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofMinutes(3);
    /** Default time to wait for an image pull. */
    public static final Duration DEFAULT_PULL_TIMEOUT = Duration.ofMinutes(5);
    /** Default first delay before reconnecting a broken event stream; it doubles per failure. */
    public static final Duration DEFAULT_RECONNECT_INITIAL = Duration.ofMillis(100);
    /** Default longest delay between reconnects of a broken event stream. */
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(5);

    private String dockerHost;
    private String apiVersion = DEFAULT_API_VERSION;
    private Clock clock = Clock.system();
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
    private Duration pullTimeout = DEFAULT_PULL_TIMEOUT;
    private Duration reconnectInitial = DEFAULT_RECONNECT_INITIAL;
    private Duration reconnectMax = DEFAULT_RECONNECT_MAX;

    DockerRuntimeBuilder() {
    }

    /**
     * The engine's address, e.g. {@code unix:///var/run/docker.sock} or {@code tcp://127.0.0.1:2375}.
     * By default {@code DOCKER_HOST}, else the default socket.
     */
    public DockerRuntimeBuilder dockerHost(String dockerHost) {
        if (dockerHost == null || dockerHost.isBlank()) {
            throw new IllegalArgumentException("dockerHost must not be blank");
        }
        URI uri = URI.create(dockerHost);
        if (uri.getScheme() == null || !(uri.getScheme().equals("unix") || uri.getScheme().equals("tcp")
                || uri.getScheme().equals("npipe"))) {
            throw new IllegalArgumentException("dockerHost must be a unix://, tcp:// or npipe:// URI, was '"
                    + dockerHost + "'");
        }
        this.dockerHost = dockerHost;
        return this;
    }

    /** The engine API version, e.g. {@code 1.41}; defaults to {@link #DEFAULT_API_VERSION}. */
    public DockerRuntimeBuilder apiVersion(String apiVersion) {
        if (apiVersion == null || !apiVersion.matches("1\\.\\d+")) {
            throw new IllegalArgumentException("apiVersion must look like 1.41, was '" + apiVersion + "'");
        }
        this.apiVersion = apiVersion;
        return this;
    }

    /** The clock for event times and container names; {@link Clock#system()} by default. */
    public DockerRuntimeBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** How long to wait for a connection to the engine and for an event stream to start. */
    public DockerRuntimeBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = Checks.requirePositive(timeout, "connectTimeout");
        return this;
    }

    /** How long to wait for one answer; a stop waits for its grace period on top of nothing else. */
    public DockerRuntimeBuilder responseTimeout(Duration timeout) {
        this.responseTimeout = Checks.requirePositive(timeout, "responseTimeout");
        return this;
    }

    /** How long an image pull may take. */
    public DockerRuntimeBuilder pullTimeout(Duration timeout) {
        this.pullTimeout = Checks.requirePositive(timeout, "pullTimeout");
        return this;
    }

    /** Delays between reconnects of a broken event stream: {@code initial}, doubling up to {@code max}. */
    public DockerRuntimeBuilder reconnectBackoff(Duration initial, Duration max) {
        Checks.requireBackoff(initial, max, "reconnect");
        this.reconnectInitial = initial;
        this.reconnectMax = max;
        return this;
    }

    /** Connects the client (lazily: nothing is sent until the first call) and builds the runtime. */
    public DockerRuntime build() {
        return new DockerRuntime(new DockerRuntimeConfig(dockerHost, apiVersion, clock, connectTimeout,
                responseTimeout, pullTimeout, new Backoff(reconnectInitial, reconnectMax)));
    }
}
