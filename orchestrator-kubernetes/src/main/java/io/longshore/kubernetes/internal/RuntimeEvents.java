package io.longshore.kubernetes.internal;

import io.longshore.api.Clock;
import io.longshore.kubernetes.KubernetesRuntimeEvent;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@link KubernetesRuntimeEvent}s to the builder's listeners, stamped with the runtime's
 * clock; a listener that throws is logged and skipped. Thread-safe (the listeners are fixed).
 */
final class RuntimeEvents {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeEvents.class);

    private final List<Consumer<KubernetesRuntimeEvent>> listeners;
    private final Clock clock;

    RuntimeEvents(List<Consumer<KubernetesRuntimeEvent>> listeners, Clock clock) {
        this.listeners = List.copyOf(listeners);
        this.clock = clock;
    }

    void apiServerUnreachable(String server, String error, Duration retryIn) {
        emit(new KubernetesRuntimeEvent.ApiServerUnreachable(clock.instant(), server, error, retryIn));
    }

    void apiServerReachable(String server, Duration unreachable) {
        emit(new KubernetesRuntimeEvent.ApiServerReachable(clock.instant(), server, unreachable));
    }

    void podPendingTooLong(String pod, Duration pending, String reason) {
        emit(new KubernetesRuntimeEvent.PodPendingTooLong(clock.instant(), pod, pending, reason));
    }

    void podStartFailed(String pod, String image, String reason) {
        emit(new KubernetesRuntimeEvent.PodStartFailed(clock.instant(), pod, image, reason));
    }

    void podEvicted(String pod, String reason) {
        emit(new KubernetesRuntimeEvent.PodEvicted(clock.instant(), pod, reason));
    }

    private void emit(KubernetesRuntimeEvent event) {
        for (Consumer<KubernetesRuntimeEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("Kubernetes runtime listener threw on {}; ignored", event, e);
            }
        }
    }
}
