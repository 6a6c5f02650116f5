package io.longshore.kubernetes;

import io.longshore.api.Clock;
import io.longshore.api.internal.Checks;
import io.longshore.kubernetes.internal.Backoff;
import io.longshore.kubernetes.internal.KubernetesRuntimeConfig;
import io.longshore.kubernetes.internal.Names;
import io.longshore.kubernetes.internal.PodOverlay;
import io.longshore.kubernetes.internal.Toleration;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Builds a {@link KubernetesRuntime}; each setter validates its argument. Not thread-safe.
 *
 * <p>Where the cluster is: {@link #kubeconfig(Path)} (with an optional {@link #context}), or
 * {@link #masterUrl(String)}, or by default the usual discovery: the {@code KUBECONFIG} variable
 * or {@code ~/.kube/config}, else the service account of the pod the runtime runs in (its token,
 * CA and namespace under {@code /var/run/secrets/kubernetes.io/serviceaccount}).
 *
 * <pre>{@code
 * try (KubernetesRuntime kubernetes = KubernetesRuntime.builder().namespace("shop").build()) { ... }
 * }</pre>
 */
public final class KubernetesRuntimeBuilder {
    /** Default longest time from a pod's creation to its container running: 2 minutes. */
    public static final Duration DEFAULT_PENDING_TIMEOUT = Duration.ofMinutes(2);
    /** Default time {@code start} waits for its pod to run before it returns and reports the endpoint later: 10 s. */
    public static final Duration DEFAULT_START_WAIT = Duration.ofSeconds(10);
    /** Default time to connect to the API server: 5 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default time to wait for one answer of the API server: 30 seconds. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Default first delay before listing or watching again after a failure; it doubles per failure. */
    public static final Duration DEFAULT_RECONNECT_INITIAL = Duration.ofMillis(250);
    /** Default longest delay between attempts to list or watch. */
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(15);

    private Path kubeconfig;
    private String context;
    private String masterUrl;
    private String namespace;
    private String serviceAccount;
    private final Map<String, String> nodeSelector = new LinkedHashMap<>();
    private final List<Toleration> tolerations = new ArrayList<>();
    private PodOverlay overlay = PodOverlay.none();
    private Clock clock = Clock.system();
    private Duration pendingTimeout = DEFAULT_PENDING_TIMEOUT;
    private Duration startWait = DEFAULT_START_WAIT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration reconnectInitial = DEFAULT_RECONNECT_INITIAL;
    private Duration reconnectMax = DEFAULT_RECONNECT_MAX;
    private final List<Consumer<KubernetesRuntimeEvent>> listeners = new ArrayList<>();

    KubernetesRuntimeBuilder() {
    }

    /** The kubeconfig file to use instead of discovery; its current context unless {@link #context} says. */
    public KubernetesRuntimeBuilder kubeconfig(Path file) {
        Objects.requireNonNull(file, "kubeconfig");
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("kubeconfig " + file + " is not a readable file");
        }
        this.kubeconfig = file;
        return this;
    }

    /** The kubeconfig context to use (of {@link #kubeconfig} or of the discovered kubeconfig). */
    public KubernetesRuntimeBuilder context(String context) {
        this.context = nonBlank(context, "context");
        return this;
    }

    /**
     * The API server's URL, for a cluster reached without a kubeconfig and without credentials
     * (e.g. {@code kubectl proxy} on {@code http://127.0.0.1:8001}).
     */
    public KubernetesRuntimeBuilder masterUrl(String url) {
        nonBlank(url, "masterUrl");
        String scheme = URI.create(url).getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("masterUrl must be an http:// or https:// URL, was '" + url + "'");
        }
        this.masterUrl = url;
        return this;
    }

    /** The namespace of the pods; by default the configuration's (kubeconfig context, service account), else {@code default}. */
    public KubernetesRuntimeBuilder namespace(String namespace) {
        nonBlank(namespace, "namespace");
        if (!Names.isDnsLabel(namespace)) {
            throw new IllegalArgumentException("namespace must be a DNS label (at most 63 lower-case letters, digits"
                    + " and '-', starting and ending with a letter or digit), was '" + namespace + "'");
        }
        this.namespace = namespace;
        return this;
    }

    /** The service account the pods run as; by default the namespace's {@code default}. */
    public KubernetesRuntimeBuilder serviceAccount(String serviceAccount) {
        nonBlank(serviceAccount, "serviceAccount");
        if (!Names.isDnsSubdomain(serviceAccount)) {
            throw new IllegalArgumentException("serviceAccount must be a DNS subdomain name, was '" + serviceAccount + "'");
        }
        this.serviceAccount = serviceAccount;
        return this;
    }

    /** Adds a node selector entry: pods run only on nodes labelled {@code key=value}. */
    public KubernetesRuntimeBuilder nodeSelector(String key, String value) {
        nonBlank(key, "nodeSelector key");
        Objects.requireNonNull(value, "nodeSelector value");
        String problem = Names.labelProblem(Map.of(key, value));
        if (problem != null) {
            throw new IllegalArgumentException("nodeSelector: " + problem);
        }
        nodeSelector.put(key, value);
        return this;
    }

    /**
     * Adds a toleration, as in a pod spec: {@code operator} {@code Equal} (with a value) or
     * {@code Exists} (value empty; key empty too to tolerate every taint); {@code effect}
     * {@code NoSchedule}, {@code PreferNoSchedule}, {@code NoExecute}, or empty for all.
     */
    public KubernetesRuntimeBuilder toleration(String key, String operator, String value, String effect) {
        Objects.requireNonNull(key, "toleration key");
        Objects.requireNonNull(value, "toleration value");
        tolerations.add(new Toleration(key, operator, value, Objects.requireNonNull(effect, "toleration effect")));
        return this;
    }

    /**
     * A partial Pod manifest (YAML or JSON) merged into every pod, for anything the runtime does not
     * set: volumes and mounts, sidecars, security context, affinity, priority class, annotations,
     * image pull secrets, and resources when the spec gives no CPU or memory. Where both set a field
     * the runtime's value wins; lists of named items (containers, env, ports, volumes) merge by name,
     * and a container named like the replica's (the service name as a DNS label) merges into it.
     * Replaces an earlier overlay.
     */
    public KubernetesRuntimeBuilder podOverlay(String manifest) {
        nonBlank(manifest, "podOverlay");
        this.overlay = PodOverlay.parse(manifest);
        return this;
    }

    /** {@link #podOverlay(String)} read from a file. */
    public KubernetesRuntimeBuilder podOverlay(Path file) {
        Objects.requireNonNull(file, "podOverlay file");
        try {
            return podOverlay(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read podOverlay file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The clock for event times, pod names and deadlines; {@link Clock#system()} by default. */
    public KubernetesRuntimeBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * How long a pod may stay Pending (unscheduled, pulling, creating) before it is deleted and its
     * start fails, so the orchestrator replaces it; {@link #DEFAULT_PENDING_TIMEOUT} by default.
     */
    public KubernetesRuntimeBuilder pendingTimeout(Duration timeout) {
        this.pendingTimeout = Checks.requirePositive(timeout, "pendingTimeout");
        return this;
    }

    /**
     * How long {@code start} waits for its pod to run (its answer then carries the endpoint) or to
     * fail (the start then fails with the reason: an image that cannot be pulled, a container that
     * cannot be created) before it returns without an endpoint; the endpoint, or the failure as an
     * exit, is reported to the watchers later. Zero returns as soon as the pod is created.
     * {@link #DEFAULT_START_WAIT} by default; a wait as long as the pending timeout never returns early.
     */
    public KubernetesRuntimeBuilder startWait(Duration wait) {
        this.startWait = Checks.requireNotNegative(wait, "startWait");
        return this;
    }

    /** How long to wait for a connection to the API server; {@link #DEFAULT_CONNECT_TIMEOUT} by default. */
    public KubernetesRuntimeBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = Checks.requirePositive(timeout, "connectTimeout");
        return this;
    }

    /** How long to wait for one answer of the API server; {@link #DEFAULT_REQUEST_TIMEOUT} by default. */
    public KubernetesRuntimeBuilder requestTimeout(Duration timeout) {
        this.requestTimeout = Checks.requirePositive(timeout, "requestTimeout");
        return this;
    }

    /** Delays between attempts to list or watch after a failure: {@code initial}, doubling up to {@code max}. */
    public KubernetesRuntimeBuilder reconnectBackoff(Duration initial, Duration max) {
        Checks.requireBackoff(initial, max, "reconnect");
        this.reconnectInitial = initial;
        this.reconnectMax = max;
        return this;
    }

    /** Adds a receiver of {@link KubernetesRuntimeEvent}s; it must not block, and one that throws is skipped. */
    public KubernetesRuntimeBuilder listener(Consumer<KubernetesRuntimeEvent> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Creates the client (nothing is sent until the first call) and builds the runtime. */
    public KubernetesRuntime build() {
        KubernetesRuntimeConfig config = config();
        return new KubernetesRuntime(config, config.connect());
    }

    /** The settings, checked together; no client is created. */
    KubernetesRuntimeConfig config() {
        if (kubeconfig != null && masterUrl != null) {
            throw new IllegalArgumentException("kubeconfig and masterUrl are exclusive: give one");
        }
        if (context != null && masterUrl != null) {
            throw new IllegalArgumentException("context selects a kubeconfig context; it makes no sense with masterUrl");
        }
        return new KubernetesRuntimeConfig(kubeconfig, context, masterUrl, namespace,
                serviceAccount, nodeSelector, tolerations, overlay, clock, pendingTimeout, startWait, connectTimeout,
                requestTimeout, new Backoff(reconnectInitial, reconnectMax), listeners);
    }

    private static String nonBlank(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }
}
