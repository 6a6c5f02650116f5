package io.longshore.api;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Healthy when a TCP connection opens. Uses the JDK's asynchronous channels, so a probe
 * holds no thread while it waits. Thread-safe.
 */
final class TcpHealthProbe implements HealthProbe {
    private final Duration timeout;

    TcpHealthProbe(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        this.timeout = timeout;
    }

    @Override
    public CompletionStage<ProbeResult> probe(Backend backend) {
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        AsynchronousSocketChannel channel;
        try {
            channel = AsynchronousSocketChannel.open();
        } catch (IOException e) {
            return CompletableFuture.completedFuture(ProbeResult.fail("cannot open socket: " + e));
        }
        InetSocketAddress address = new InetSocketAddress(backend.endpoint().host(), backend.endpoint().port());
        channel.connect(address, null, new CompletionHandler<Void, Void>() {
            @Override
            public void completed(Void ignored, Void attachment) {
                result.complete(ProbeResult.pass("connected"));
            }

            @Override
            public void failed(Throwable error, Void attachment) {
                result.complete(ProbeResult.fail("connect failed: " + error));
            }
        });
        return result
                .completeOnTimeout(ProbeResult.fail("connect timed out after " + timeout),
                        timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> closeQuietly(channel));
    }

    private static void closeQuietly(AsynchronousSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do: the probe already has its answer
        }
    }

    @Override
    public String toString() {
        return "tcp";
    }
}
