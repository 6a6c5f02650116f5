package io.longshore.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.longshore.api.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The settings of a {@link DockerRuntime}, validated by {@link DockerRuntimeBuilder}. Immutable.
 *
 * @param dockerHost       the engine's address, or {@code null} for {@code DOCKER_HOST} / the default socket
 * @param apiVersion       the engine API version to speak
 * @param clock            time of events and container names
 * @param connectTimeout   connecting to the engine, and waiting for the event stream to start
 * @param responseTimeout  waiting for one answer of the engine (a stop waits for its grace period on top)
 * @param pullTimeout      waiting for an image pull
 * @param reconnectBackoff delays between reconnects of a broken event stream
 */
record DockerRuntimeConfig(String dockerHost, String apiVersion, Clock clock, Duration connectTimeout,
                           Duration responseTimeout, Duration pullTimeout, Backoff reconnectBackoff) {

    DockerClient connect() {
        DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withApiVersion(apiVersion);
        if (dockerHost != null) {
            builder.withDockerHost(dockerHost);
        }
        DefaultDockerClientConfig docker = builder.build();
        DockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(docker.getDockerHost())
                .sslConfig(docker.getSSLConfig())
                .maxConnections(64)
                .connectionTimeout(connectTimeout)
                .responseTimeout(responseTimeout)
                .build();
        return DockerClientImpl.getInstance(docker, http);
    }

    /** One daemon thread for reconnecting event streams; the runtime shuts it down on close. */
    ScheduledExecutorService backgroundExecutor() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "longshore-docker-reconnect");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
