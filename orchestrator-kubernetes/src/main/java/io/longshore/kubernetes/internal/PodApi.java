package io.longshore.kubernetes.internal;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import java.util.Map;
import java.util.Optional;

/**
 * Every call the runtime makes to the API server, on the pods of one namespace. Failures are
 * {@link KubernetesClientException}s; {@link ApiErrors} turns them into messages. The fabric8
 * implementation is {@link Fabric8PodApi}; tests script their own. Implementations are thread-safe.
 */
public interface PodApi extends AutoCloseable {

    /** The API server's URL, for messages. */
    String server();

    /** The namespace every call works in. */
    String namespace();

    /** Creates the pod; returns it as the server stored it. */
    Pod create(Pod pod);

    /** The pod, or empty when there is none of that name. */
    Optional<Pod> get(String name);

    /** Deletes the pod with the grace period; false when there was none of that name. */
    boolean delete(String name, long graceSeconds);

    /** The pods carrying all of {@code labels}, with the list's resource version. */
    PodList list(Map<String, String> labels);

    /**
     * Watches the pods carrying all of {@code labels} from {@code resourceVersion} (every change after
     * it). Returns once the watch is established; throws when it cannot be, or when it is not within
     * a deadline (the fabric8 implementation's: {@code connectTimeout + requestTimeout}, as a server
     * that takes the connection but answers nothing would otherwise keep the caller waiting for
     * ever); a watch established after the deadline is closed at once. A broken watch is not
     * resumed by the client: {@code watcher.onClose(cause)} is called and the caller resumes it.
     */
    Watch watch(Map<String, String> labels, String resourceVersion, Watcher<Pod> watcher);

    /** The pod's current usage from the metrics API; empty when the API or the reading is absent. */
    Optional<PodMetrics> metrics(String name);

    /** Releases the client; idempotent. */
    @Override
    void close();
}
