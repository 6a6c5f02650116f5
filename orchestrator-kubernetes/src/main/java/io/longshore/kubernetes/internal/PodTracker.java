package io.longshore.kubernetes.internal;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.longshore.api.Clock;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the state of the runtime's pods current with the Kubernetes list-and-watch protocol: list
 * once, then watch from the list's resource version. A watch that breaks is resumed from the last
 * resource version seen (events or bookmarks), so nothing that happened meanwhile is lost; when the
 * server no longer has that version (410 Gone) the tracker lists again and tells the listeners
 * what changed and what disappeared. A watch that ends having delivered nothing says nothing about
 * the server: a load balancer with an idle timeout shorter than the server's ends quiet, healthy
 * watches, however soon. So the tracker then lists again, which checks that the server answers and
 * gives the next watch a fresh resource version; only a list that fails, or a watch that cannot be
 * established (in time: see {@link PodApi#watch}), counts as the API server being unreachable: the
 * tracker retries with a doubling backoff by listing again, and the first failure of an outage and
 * the recovery are {@link io.longshore.kubernetes.KubernetesRuntimeEvent}s. Known pods are kept through an outage: nothing is
 * reported that was not seen.
 *
 * <p>Listeners are called under the tracker's lock, one change at a time, in the order given at
 * construction. Lists and watch connections run on the runtime's background thread. Thread-safe.
 */
final class PodTracker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PodTracker.class);

    private final PodApi api;
    private final Map<String, String> selector;
    private final ScheduledExecutorService background;
    private final Backoff backoff;
    private final Outage outage;
    private final List<PodListener> listeners;
    private final Map<String, Pod> pods = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();
    private boolean started;
    private boolean synced;
    private boolean closed;
    private long generation;
    private String resourceVersion;
    private Watch watch;
    /** Whether the current watch delivered anything (an event or a bookmark). */
    private boolean progress;

    /** {@code clock}: when an outage began and ended; {@code backoff}: the delays between attempts. */
    PodTracker(PodApi api, Map<String, String> selector, ScheduledExecutorService background, Backoff backoff,
               Clock clock, RuntimeEvents events, List<PodListener> listeners) {
        this.api = api;
        this.selector = Map.copyOf(selector);
        this.background = background;
        this.backoff = backoff;
        this.outage = new Outage(api.server(), backoff, clock, events);
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Starts tracking unless it already does, and waits up to {@code timeout} for the first list and
     * watch to be attempted (tracking goes on retrying in the background if they failed).
     */
    void start(Duration timeout) {
        synchronized (this) {
            if (!started && !closed) {
                started = true;
                submit(this::relist, Duration.ZERO);
            }
        }
        try {
            firstAttempt.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("first pod list not done within {}; tracking goes on in the background", timeout);
        }
    }

    /** The last known state of a pod. */
    Optional<Pod> known(String name) {
        return Optional.ofNullable(pods.get(name));
    }

    /** Whether a watch is established right now. */
    synchronized boolean watching() {
        return watch != null;
    }

    private void relist() {
        long attempt;
        synchronized (this) {
            if (closed) {
                return;
            }
            closeWatch();
            attempt = ++generation;
        }
        PodList list;
        try {
            list = api.list(selector);
        } catch (RuntimeException e) {
            failed(e, "list pods", this::relist);
            return;
        }
        synchronized (this) {
            if (closed || attempt != generation) {
                return;
            }
            applyList(list);
            outage.answered();
        }
        openWatch(attempt);
    }

    /** Takes a full list as the truth: every pod in it changed, every known pod not in it is gone. */
    private void applyList(PodList list) {
        boolean history = !synced;
        synced = true;
        resourceVersion = list.getMetadata() == null ? null : list.getMetadata().getResourceVersion();
        Set<String> listed = new HashSet<>();
        for (Pod pod : list.getItems()) {
            listed.add(PodStates.name(pod));
            changed(pod, history);
        }
        for (String name : new ArrayList<>(pods.keySet())) {
            if (!listed.contains(name)) {
                gone(name, pods.get(name));
            }
        }
    }

    private void openWatch(long attempt) {
        String from;
        synchronized (this) {
            if (closed || attempt != generation) {
                return;
            }
            from = resourceVersion;
        }
        Watch opened;
        try {
            opened = api.watch(selector, from, new PodWatcher(attempt));
        } catch (RuntimeException e) {
            if (e instanceof KubernetesClientException k8s && k8s.getCode() == HttpURLConnection.HTTP_GONE) {
                LOG.info("resource version {} is gone; listing pods again", from);
                submit(this::relist, Duration.ZERO);
            } else {
                failed(e, "watch pods", this::relist);
            }
            return;
        }
        synchronized (this) {
            if (closed || attempt != generation) {
                opened.close();
                return;
            }
            watch = opened;
            progress = false;
        }
        firstAttempt.complete(null);
    }

    private synchronized void failed(RuntimeException error, String action, Runnable retry) {
        if (closed) {
            return;
        }
        submit(retry, outage.failed(ApiErrors.describe(error, api, action), pods.size()));
        firstAttempt.complete(null);
    }

    private synchronized void watchClosed(long attempt, WatcherException cause) {
        if (closed || attempt != generation) {
            return;
        }
        watch = null;
        if (cause.isHttpGone()) {
            LOG.info("pod watch: resource version {} expired; listing pods again", resourceVersion);
            submit(this::relist, Duration.ZERO);
        } else if (progress) {
            LOG.info("pod watch broke ({}); resuming from resource version {}", ApiErrors.rootMessage(cause),
                    resourceVersion);
            long resumed = ++generation;
            submit(() -> openWatch(resumed), backoff.initial());
        } else {
            // quiet: an idle timeout in between, or the server gone; the list tells which (a failed
            // one is the outage) and gives the next watch a fresh resource version
            LOG.info("pod watch ended having delivered nothing ({}); listing pods again",
                    ApiErrors.rootMessage(cause));
            generation++;
            submit(this::relist, backoff.initial());
        }
    }

    private synchronized void received(long attempt, Watcher.Action action, Pod pod) {
        if (closed || attempt != generation || pod == null || pod.getMetadata() == null) {
            return;
        }
        progress = true;
        if (pod.getMetadata().getResourceVersion() != null) {
            resourceVersion = pod.getMetadata().getResourceVersion();
        }
        switch (action) {
            case ADDED, MODIFIED -> changed(pod, false);
            case DELETED -> gone(PodStates.name(pod), pod);
            default -> {
                // BOOKMARK: the resource version is all it carries; ERROR: handled by the client
            }
        }
    }

    private void changed(Pod pod, boolean history) {
        pods.put(PodStates.name(pod), pod);
        for (PodListener listener : listeners) {
            listener.changed(pod, history);
        }
    }

    private void gone(String name, Pod last) {
        Pod known = pods.remove(name);
        Pod state = last != null ? last : known;
        if (state == null) {
            return;
        }
        for (PodListener listener : listeners) {
            listener.gone(name, state);
        }
    }

    private void submit(Runnable task, Duration delay) {
        try {
            background.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("not scheduled: the runtime is closed", e);
        }
    }

    private void closeWatch() {
        if (watch != null) {
            Watch old = watch;
            watch = null;
            old.close();
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            generation++;
            closeWatch();
        }
        firstAttempt.complete(null);
    }

    /** Forwards one watch's events while it is the current one. */
    private final class PodWatcher implements Watcher<Pod> {
        private final long attempt;

        PodWatcher(long attempt) {
            this.attempt = attempt;
        }

        @Override
        public void eventReceived(Action action, Pod pod) {
            received(attempt, action, pod);
        }

        @Override
        public void onClose(WatcherException cause) {
            watchClosed(attempt, cause);
        }

        @Override
        public void onClose() {
            // closed by the tracker
        }
    }
}
