package io.longshore.kubernetes.internal;

import io.fabric8.kubernetes.api.model.Pod;
import io.longshore.api.Clock;
import io.longshore.api.Endpoint;
import io.longshore.api.RuntimeEvent;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every subscribed watcher what happens to the runtime's pods: where a pod serves once a
 * start that returned without an endpoint sees it run, and how it ended, once per pod: a
 * terminated container ({@link RuntimeEvent.Kind#OOM_KILLED} for {@code OOMKilled}), a failed or
 * succeeded pod, an evicted pod, a pod deleted by someone else (reported when the deletion starts,
 * not when the grace period ends), a pod gone without a word. Pods the runtime stops or is still
 * starting are not reported, nor ends that were already visible in the tracker's first list.
 * Thread-safe.
 */
final class ExitReporter implements PodListener {
    private static final Logger LOG = LoggerFactory.getLogger(ExitReporter.class);

    private final RecentNames requestedStops;
    private final RecentNames reported = new RecentNames();
    private final Launches launches;
    private final Clock clock;
    private final RuntimeEvents events;
    private final List<Consumer<RuntimeEvent>> watchers = new CopyOnWriteArrayList<>();

    ExitReporter(RecentNames requestedStops, Launches launches, Clock clock, RuntimeEvents events) {
        this.requestedStops = requestedStops;
        this.launches = launches;
        this.clock = clock;
        this.events = events;
    }

    /** Adds a watcher; closing the handle removes it. */
    AutoCloseable subscribe(Consumer<RuntimeEvent> watcher) {
        Objects.requireNonNull(watcher, "listener");
        watchers.add(watcher);
        return () -> watchers.remove(watcher);
    }

    /** Removes every watcher (the runtime is closing). */
    void clear() {
        watchers.clear();
    }

    @Override
    public void changed(Pod pod, boolean history) {
        String name = PodStates.name(pod);
        if (ignored(name)) {
            return;
        }
        PodStates.exit(pod).ifPresent(exit -> {
            if (reported.addIfAbsent(name) && !history) {
                report(name, exit);
            }
        });
    }

    @Override
    public void gone(String name, Pod last) {
        if (ignored(name) || !reported.addIfAbsent(name)) {
            return;
        }
        PodStates.Exit exit = PodStates.exit(last).orElse(new PodStates.Exit(RuntimeEvent.Kind.EXITED, -1,
                "the pod was deleted", true));
        report(name, exit);
    }

    private boolean ignored(String name) {
        return requestedStops.contains(name) || launches.launching(name);
    }

    /** Reports where a pod serves, learnt after its start returned. */
    void endpointAssigned(String name, Endpoint endpoint) {
        deliver(RuntimeEvent.endpointAssigned(name, endpoint, clock.instant()));
    }

    /** Reports the end of a pod whose start had returned without an endpoint and then failed. */
    void launchFailed(String name, PodStates.Exit exit) {
        if (reported.addIfAbsent(name)) {
            report(name, exit);
        }
    }

    private void report(String name, PodStates.Exit exit) {
        LOG.info("pod {} ended: {}", name, exit.reason());
        if (exit.evicted()) {
            events.podEvicted(name, exit.reason());
        }
        deliver(new RuntimeEvent(name, exit.kind(), exit.exitCode(), clock.instant()));
    }

    private void deliver(RuntimeEvent event) {
        for (Consumer<RuntimeEvent> watcher : watchers) {
            try {
                watcher.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("runtime event listener threw on {}; ignored", event, e);
            }
        }
    }
}
