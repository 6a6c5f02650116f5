package io.longshore.kubernetes.internal;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.longshore.api.Clock;
import io.longshore.api.ContainerRuntimeException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes pods with their grace period and waits until the API server no longer has them: the pod
 * watch says when; a GET every {@link #POLL} confirms it when the watch is down. A pod still there
 * {@link #MARGIN} after its grace period is deleted once more with no grace. Thread-safe.
 */
final class PodStopper {
    /** How often a deletion is checked by asking the API server. */
    static final Duration POLL = Duration.ofSeconds(2);
    /** How long past the grace period the kubelet gets to finish a pod. */
    static final Duration MARGIN = Duration.ofSeconds(30);
    /** How long a pod deleted with no grace gets to disappear. */
    static final Duration FORCED = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(PodStopper.class);

    private final PodApi api;
    private final Launches launches;
    private final Deletions deletions;
    private final RecentNames requestedStops;
    private final Clock clock;

    PodStopper(PodApi api, Launches launches, Deletions deletions, RecentNames requestedStops, Clock clock) {
        this.api = api;
        this.launches = launches;
        this.deletions = deletions;
        this.requestedStops = requestedStops;
        this.clock = clock;
    }

    void stop(String name, Duration grace) {
        requestedStops.add(name);
        launches.abandon(name);
        CompletableFuture<Void> gone = deletions.expect(name);
        try {
            if (!delete(name, seconds(grace)) || awaitGone(name, gone, grace.plus(MARGIN))) {
                return;
            }
            LOG.warn("pod {} still there {} after its deletion with grace {}; deleting it with no grace",
                    name, MARGIN, grace);
            if (!delete(name, 0) || awaitGone(name, gone, FORCED)) {
                return;
            }
            throw new ContainerRuntimeException(name, "pod " + name + " is still terminating " + grace.plus(MARGIN)
                    .plus(FORCED) + " after its deletion at " + clock.instant() + " (is its node unreachable?)", null);
        } finally {
            deletions.forget(name);
        }
    }

    /** Sends the deletion; false when the pod does not exist. */
    private boolean delete(String name, long graceSeconds) {
        try {
            return api.delete(name, graceSeconds);
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return false;
            }
            throw new ContainerRuntimeException(name, ApiErrors.describe(e, api, "delete pod " + name), e);
        } catch (RuntimeException e) {
            throw new ContainerRuntimeException(name, ApiErrors.describe(e, api, "delete pod " + name), e);
        }
    }

    private boolean awaitGone(String name, CompletableFuture<Void> gone, Duration timeout) {
        long polls = Math.max(1, (timeout.toMillis() + POLL.toMillis() - 1) / POLL.toMillis());
        for (long i = 0; i < polls; i++) {
            try {
                gone.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException e) {
                if (absent(name)) {
                    return true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ContainerRuntimeException(name, "interrupted while waiting for pod " + name + " to go", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a deletion never fails exceptionally", e);
            }
        }
        return absent(name);
    }

    private boolean absent(String name) {
        try {
            return api.get(name).isEmpty();
        } catch (RuntimeException e) {
            LOG.debug("cannot check whether pod {} is gone: {}", name, ApiErrors.rootMessage(e));
            return false;
        }
    }

    private static long seconds(Duration duration) {
        return (duration.toMillis() + 999) / 1000;
    }
}
