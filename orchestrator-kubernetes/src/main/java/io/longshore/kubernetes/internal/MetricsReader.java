package io.longshore.kubernetes.internal;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.ContainerMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.longshore.api.ResourceStats;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a replica's CPU and memory from the cluster's metrics API ({@code metrics.k8s.io}, served
 * by metrics-server): the replica container's usage, and its memory limit from the pod. Empty when
 * the cluster has no metrics API, the pod has no reading yet, or the call fails. Thread-safe.
 */
final class MetricsReader {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsReader.class);
    private static final BigDecimal PERCENT = BigDecimal.valueOf(100);

    private final PodApi api;

    MetricsReader(PodApi api) {
        this.api = api;
    }

    Optional<ResourceStats> read(String pod, Optional<Pod> known) {
        Optional<PodMetrics> metrics;
        try {
            metrics = api.metrics(pod);
        } catch (RuntimeException e) {
            LOG.debug("no metrics for pod {}: {}", pod, e.toString());
            return Optional.empty();
        }
        String container = known.map(MetricsReader::replicaContainer).orElse(null);
        return metrics.flatMap(m -> usage(m, container))
                .map(usage -> stats(usage, known.map(MetricsReader::memoryLimit).orElse(0L)));
    }

    private static Optional<Map<String, Quantity>> usage(PodMetrics metrics, String container) {
        List<ContainerMetrics> containers = metrics.getContainers() == null ? List.of() : metrics.getContainers();
        return containers.stream()
                .filter(c -> container == null || container.equals(c.getName()))
                .findFirst()
                .map(ContainerMetrics::getUsage);
    }

    private static ResourceStats stats(Map<String, Quantity> usage, long limit) {
        double cpu = amount(usage.get("cpu")).multiply(PERCENT).doubleValue();
        long memory = amount(usage.get("memory")).longValue();
        return new ResourceStats(Math.max(0, cpu), Math.max(0, memory), Math.max(0, limit));
    }

    private static BigDecimal amount(Quantity quantity) {
        if (quantity == null) {
            return BigDecimal.ZERO;
        }
        try {
            return quantity.getNumericalAmount();
        } catch (ArithmeticException | IllegalArgumentException e) {
            return BigDecimal.ZERO;
        }
    }

    private static String replicaContainer(Pod pod) {
        List<Container> containers = pod.getSpec() == null ? null : pod.getSpec().getContainers();
        return containers == null || containers.isEmpty() ? null : containers.get(0).getName();
    }

    private static long memoryLimit(Pod pod) {
        List<Container> containers = pod.getSpec() == null ? null : pod.getSpec().getContainers();
        if (containers == null || containers.isEmpty() || containers.get(0).getResources() == null
                || containers.get(0).getResources().getLimits() == null) {
            return 0;
        }
        return amount(containers.get(0).getResources().getLimits().get("memory")).longValue();
    }
}
