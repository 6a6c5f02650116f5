package io.longshore.kubernetes.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Waiting for a fabric8 watch to be established, with a deadline, on futures the test completes. */
class Fabric8PodApiTest {
    private static final Duration DEADLINE = Duration.ofMillis(20);

    @Test
    void aWatchEstablishedInTimeIsReturnedOpen() {
        RecordingWatch watch = new RecordingWatch();

        assertThat(Fabric8PodApi.established(CompletableFuture.completedFuture(watch), DEADLINE)).isSameAs(watch);
        assertThat(watch.closes).hasValue(0);
    }

    @Test
    void aWatchNotEstablishedWithinTheDeadlineFailsAsAnUnreachableServerAndIsClosedOnceEstablished() {
        CompletableFuture<Watch> pending = new CompletableFuture<>();

        assertThatThrownBy(() -> Fabric8PodApi.established(pending, DEADLINE))
                .isInstanceOfSatisfying(KubernetesClientException.class,
                        e -> assertThat(ApiErrors.unreachable(e)).as("read as an unreachable server").isTrue())
                .hasMessageContaining("not established within 20 ms");

        RecordingWatch late = new RecordingWatch();
        pending.complete(late);
        assertThat(late.closes).hasValue(1);
    }

    @Test
    void aWatchRefusedWithGoneFailsWithTheSameGoneAsFabric8sBlockingWatch() {
        KubernetesClientException gone = new KubernetesClientException("too old resource version", HttpURLConnection.HTTP_GONE,
                new StatusBuilder().withCode(HttpURLConnection.HTTP_GONE).build());
        CompletableFuture<Watch> refused = new CompletableFuture<>();
        refused.completeExceptionally(new CompletionException(gone));

        assertThatThrownBy(() -> Fabric8PodApi.established(refused, DEADLINE)).isSameAs(gone);
    }

    /** Counts its closes. */
    private static final class RecordingWatch implements Watch {
        final AtomicInteger closes = new AtomicInteger();

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }
}
