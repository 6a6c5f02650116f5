package io.longshore.kubernetes.internal;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.longshore.api.Clock;
import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns a {@link ContainerSpec} for one replica into a Pod: its image, its command as the image's
 * arguments, its environment plus {@code PORT} (and {@code HOST=0.0.0.0} unless the spec sets
 * {@code HOST}), the container port named {@value #PORT_NAME}, CPU and memory as both request and
 * limit, its labels plus the caller's plus {@link #MANAGED_LABEL},
 * {@code restartPolicy: Never} (the orchestrator replaces, Kubernetes
 * does not restart), the stop grace as the termination grace period, and the runtime's service
 * account, node selector and tolerations; then the overlay. Thread-safe.
 */
public final class PodFactory {
    /** Label on every pod the runtime creates; its watch and list are limited to these. */
    public static final String MANAGED_LABEL = "io.longshore.managed";
    /** The name of the replica container's port. */
    static final String PORT_NAME = "http";
    private static final long MILLICORES_PER_CPU = 1000;
    /** The orchestrator's labels that hold a whole encoded spec; nobody selects by them. */
    private static final Set<String> ANNOTATABLE = Set.of("io.longshore.spec", "io.longshore.configured-spec");

    private final String namespace;
    private final String serviceAccount;
    private final Map<String, String> nodeSelector;
    private final List<Toleration> tolerations;
    private final PodOverlay overlay;
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();

    PodFactory(KubernetesRuntimeConfig config, String namespace) {
        this.namespace = namespace;
        this.serviceAccount = config.serviceAccount();
        this.nodeSelector = config.nodeSelector();
        this.tolerations = config.tolerations();
        this.overlay = config.overlay();
        this.clock = config.clock();
    }

    /** The pod for one replica; throws when its labels cannot go on a pod. */
    Pod create(ContainerSpec spec, Endpoint endpoint, Map<String, String> labels) {
        Map<String, String> all = new LinkedHashMap<>(spec.labels());
        Map<String, String> annotations = new LinkedHashMap<>();
        // an encoded spec, longer than a label value may be, travels as an annotation of the same
        // key; every other label stays one, as list(labels) selects by labels and would miss it
        labels.forEach((key, value) -> (Names.isLabelValue(value) || !ANNOTATABLE.contains(key) ? all : annotations)
                .put(key, value));
        all.put(MANAGED_LABEL, "true");
        String problem = Names.labelProblem(all);
        if (problem != null) {
            throw new ContainerRuntimeException("cannot run a pod of service '" + spec.service() + "': " + problem
                    + "; pods are listed by their labels, so service and orchestrator names must be valid label"
                    + " values on Kubernetes");
        }
        int port = containerPort(spec, endpoint);
        Pod pod = new PodBuilder()
                .withNewMetadata()
                    .withName(podName(spec, port))
                    .withNamespace(namespace)
                    .withLabels(all)
                    .withAnnotations(annotations.isEmpty() ? null : annotations)
                .endMetadata()
                .withNewSpec()
                    .withContainers(container(spec, port))
                    .withRestartPolicy("Never")
                    .withTerminationGracePeriodSeconds(seconds(spec.stopGrace()))
                    .withServiceAccountName(serviceAccount)
                    .withNodeSelector(nodeSelector.isEmpty() ? null : new HashMap<>(nodeSelector))
                    .withTolerations(tolerations.isEmpty() ? null : tolerations.stream().map(Toleration::toModel).toList())
                .endSpec()
                .build();
        return overlay.apply(pod);
    }

    /** The port the replica listens on inside its pod: the spec's container port, else the replica's. */
    static int containerPort(ContainerSpec spec, Endpoint endpoint) {
        return spec.containerPort() == 0 ? endpoint.port() : spec.containerPort();
    }

    /** The replica container's name: the service as a DNS label. */
    static String containerName(String service) {
        return Names.dnsPart(service);
    }

    private static Container container(ContainerSpec spec, int port) {
        ContainerBuilder container = new ContainerBuilder()
                .withName(containerName(spec.service()))
                .withImage(spec.image())
                .withEnv(env(spec, port))
                .withPorts(new ContainerPortBuilder().withName(PORT_NAME).withContainerPort(port).withProtocol("TCP")
                        .build())
                .withImagePullPolicy(pullPolicy(spec.pullPolicy()));
        if (!spec.command().isEmpty()) {
            container.withArgs(spec.command());
        }
        ResourceRequirements resources = resources(spec);
        if (resources != null) {
            container.withResources(resources);
        }
        return container.build();
    }

    /** The spec's environment with {@code PORT} always the runtime's and {@code HOST} 0.0.0.0 unless set. */
    static List<EnvVar> env(ContainerSpec spec, int port) {
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVar("PORT", Integer.toString(port), null));
        if (!spec.env().containsKey("HOST")) {
            env.add(new EnvVar("HOST", "0.0.0.0", null));
        }
        spec.env().entrySet().stream()
                .filter(e -> !e.getKey().equals("PORT"))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> env.add(new EnvVar(e.getKey(), e.getValue(), null)));
        return env;
    }

    /** Requests equal to limits (Guaranteed QoS when both are set); {@code null} when the spec sets neither. */
    static ResourceRequirements resources(ContainerSpec spec) {
        Map<String, Quantity> amounts = new LinkedHashMap<>();
        if (spec.cpus() > 0) {
            long millicores = Math.max(1, Math.round(spec.cpus() * MILLICORES_PER_CPU));
            amounts.put("cpu", new Quantity(millicores + "m"));
        }
        if (spec.memoryBytes() > 0) {
            amounts.put("memory", new Quantity(Long.toString(spec.memoryBytes())));
        }
        if (amounts.isEmpty()) {
            return null;
        }
        return new ResourceRequirementsBuilder().withRequests(new LinkedHashMap<>(amounts)).withLimits(amounts).build();
    }

    static String pullPolicy(ContainerSpec.PullPolicy policy) {
        return switch (policy) {
            case NEVER -> "Never";
            case IF_MISSING -> "IfNotPresent";
            case ALWAYS -> "Always";
        };
    }

    private static long seconds(Duration duration) {
        return (duration.toMillis() + 999) / 1000;
    }

    /**
     * {@code <service>-<port>-<suffix>}: the suffix from the clock and a sequence, so a replacement on
     * the same port never takes its predecessor's name (which may still be terminating).
     */
    private String podName(ContainerSpec spec, int port) {
        long micros = clock.instant().toEpochMilli() * 1000 + Math.floorMod(clock.nanoTime() / 1000, 1000);
        String suffix = Long.toString(micros, 36) + Long.toString(sequence.incrementAndGet() % 1296, 36);
        return Names.dnsPart(spec.service()) + "-" + port + "-" + suffix;
    }
}
