package io.longshore.examples.config;

import io.longshore.api.ContainerSpec;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.api.ScalingPolicy;
import io.longshore.core.RolloutConfig;
import io.longshore.examples.config.ServiceSettings.Autoscaler;
import io.longshore.examples.config.ServiceSettings.Balancing;
import io.longshore.examples.config.ServiceSettings.Probe;
import io.longshore.examples.config.ServiceSettings.Replicas;
import io.longshore.examples.config.ServiceSettings.Timeouts;
import io.longshore.examples.config.ServiceSettings.Workload;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one entry of {@code services:}: {@code prefix}, {@code command} or {@code image} (with
 * {@code pull}, {@code env}, {@code memory}, {@code cpus}), {@code replicas}, {@code probe},
 * {@code strategy}, {@code weight}, {@code slowStart}, {@code autoscaler} and {@code timeouts};
 * claims its replica ports, with the surge ports a rollout at {@code max} takes above them. Not
 * thread-safe; one per read.
 */
final class ServiceReader {
    /** Replica counts above this are surely a typo. */
    static final int MAX_REPLICAS = 1000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    /** The built-in autoscalers that take a service with {@code min: 0} to zero replicas by themselves. */
    static final Set<String> TO_ZERO = Set.of(TargetAutoscaler.TYPE, "rules");

    private final ConfigCatalog catalog;
    private final PortClaims ports;
    private final int maxWaiting;
    private final Map<String, ConfigNode> prefixes = new HashMap<>();

    /** @param maxWaiting the gateway's waiting line length (0: no line) */
    ServiceReader(ConfigCatalog catalog, PortClaims ports, int maxWaiting) {
        this.catalog = catalog;
        this.ports = ports;
        this.maxWaiting = maxWaiting;
    }

    /** The service's settings; empty when they are too broken to build (the problems say why). */
    Optional<ServiceSettings> read(String name, ConfigNode node) {
        if (!NAME.matcher(name).matches()) {
            node.problem("a service name is 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (!node.requireMapping()) {
            return Optional.empty();
        }
        String prefix = prefix(node);
        Optional<Workload> workload = workload(node);
        ConfigNode replicasNode = node.section("replicas");
        Replicas replicas = replicas(replicasNode);
        Probe probe = probe(node.section("probe"));
        LoadBalancingStrategy strategy = strategy(node);
        Balancing balancing = new Balancing(node.integer("weight", 1, ContainerSpec.MAX_WEIGHT),
                node.duration("slowStart", true));
        Autoscaler autoscaler = autoscaler(node, replicas);
        requireWakeUp(replicasNode, replicas, autoscaler);
        Timeouts timeouts = timeouts(node.section("timeouts"));
        node.rejectUnknown();
        return workload.map(w -> new ServiceSettings(name, prefix, w, replicas, probe, strategy, balancing, autoscaler,
                timeouts));
    }

    /**
     * A service its autoscaler takes to zero comes back only through a request held in the
     * gateway's line (nothing else tells the orchestrator that requests arrive): without a line it
     * would answer 503 for good.
     */
    private void requireWakeUp(ConfigNode node, Replicas replicas, Autoscaler autoscaler) {
        if (replicas.min() == 0 && maxWaiting == 0 && TO_ZERO.contains(autoscaler.type())) {
            node.child("min").orElse(node).problem("0 with the " + autoscaler.type() + " autoscaler needs the"
                    + " gateway's waiting line, but gateway.maxWaiting is 0: at zero replicas a request gets 503 at"
                    + " once and nothing brings a replica back");
        }
    }

    private String prefix(ConfigNode node) {
        String prefix = node.string("prefix", "/");
        ConfigNode where = node.child("prefix").orElse(node);
        if (!prefix.startsWith("/")) {
            where.problem("must start with '/', was '" + prefix + "'");
            return "/";
        }
        String normal = prefix.length() > 1 && prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        ConfigNode earlier = prefixes.putIfAbsent(normal, where);
        if (earlier != null) {
            where.problem("prefix " + normal + " is already routed to " + earlier.path() + " (line " + earlier.line() + ")");
        }
        return normal;
    }

    private Optional<Workload> workload(ConfigNode node) {
        boolean command = node.has("command");
        boolean image = node.has("image");
        if (command == image) {
            node.problem(command ? "give 'command' or 'image', not both"
                    : "needs 'command' (a local process, e.g. [java, -jar, app.jar]) or 'image' (a Docker image)");
        }
        List<String> argv = node.strings("command");
        int given = node.child("command").map(c -> c.isSequence() ? c.items().size() : -1).orElse(0);
        if (command && given == 0) {
            node.child("command").ifPresent(c -> c.problem("expects a non-empty list, e.g. [java, -jar, app.jar]"));
        }
        String imageName = node.string("image", "").trim();
        if (!image && node.has("pull")) {
            node.child("pull").ifPresent(p -> p.problem("applies to an 'image' only"));
        }
        String pull = node.choice("pull", "if-missing", List.of("if-missing", "always", "never"));
        Map<String, String> env = node.stringMap("env");
        checkStartable(node, command, argv, env);
        Optional<Long> memory = node.has("memory") ? Optional.of(node.bytes("memory", 0)) : Optional.empty();
        Optional<Double> cpus = node.has("cpus") ? Optional.of(node.number("cpus", 0, 0.01, 1024)) : Optional.empty();
        if (command == image || (command && (given <= 0 || argv.size() < given)) || (image && imageName.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new Workload(image ? List.of() : argv, image ? imageName : "",
                ContainerSpec.PullPolicy.valueOf(pull.replace('-', '_').toUpperCase(Locale.ROOT)), env, memory, cpus));
    }

    /**
     * What the runtime could never start, each as a problem on its own line: an environment name
     * that is empty or holds {@code =} or NUL, a NUL in a value or in the command, a blank program.
     */
    private static void checkStartable(ConfigNode node, boolean command, List<String> argv, Map<String, String> env) {
        node.child("env").filter(ConfigNode::isMapping).ifPresent(map -> map.children().forEach((name, value) -> {
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                value.problem("is not a usable environment variable name: it must not be empty or contain '=' or NUL");
            } else if (env.getOrDefault(name, "").indexOf('\0') >= 0) {
                value.problem("must not contain NUL");
            }
        }));
        if (command && argv.stream().anyMatch(part -> part.indexOf('\0') >= 0)) {
            node.child("command").ifPresent(c -> c.problem("must not contain NUL"));
        } else if (command && !argv.isEmpty() && argv.get(0).isBlank()) {
            node.child("command").filter(ConfigNode::isSequence).map(c -> c.items().get(0))
                    .ifPresent(program -> program.problem("the program to run must not be blank"));
        }
    }

    private Replicas replicas(ConfigNode node) {
        int min = node.integer("min", 1, 0, MAX_REPLICAS);
        int max = node.integer("max", 10, 1, MAX_REPLICAS);
        OptionalInt initial = node.integer("initial", 0, MAX_REPLICAS);
        int basePort = node.integer("basePort", 8000, 1, 65_535);
        node.rejectUnknown();
        if (min > max) {
            node.child("min").orElse(node).problem("min (" + min + ") must not exceed max (" + max + ")");
        }
        if (initial.isPresent() && (initial.getAsInt() < min || initial.getAsInt() > max)) {
            node.child("initial").orElse(node).problem("must lie in min..max (" + min + ".." + max + ")");
        }
        ConfigNode where = node.child("basePort").orElse(node);
        int surge = RolloutConfig.defaults().surgeFor(max);
        if ((long) basePort + max - 1 > 65_535) {
            where.problem("basePort " + basePort + " + max " + max + " runs past port 65535");
        } else if ((long) basePort + max + surge - 1 > 65_535) {
            where.problem("basePort " + basePort + " + max " + max + " + a rollout's surge of " + surge
                    + " runs past port 65535");
        } else {
            // a rollout at max starts its new replicas beside the old ones, on the ports just above them
            ports.claim(node.path(), basePort, basePort + max + surge - 1,
                    max + " replicas and a rollout's surge of " + surge, where);
        }
        return new Replicas(min, max, initial, basePort);
    }

    private static Probe probe(ConfigNode node) {
        String type = node.choice("type", node.has("path") ? "http" : "tcp", List.of("http", "tcp"));
        String path = node.string("path", "");
        if (type.equals("http") && !path.startsWith("/")) {
            node.child("path").orElse(node).problem("an http probe needs a 'path' starting with '/', e.g. /health");
        }
        if (type.equals("tcp") && node.has("path")) {
            node.child("path").ifPresent(p -> p.problem("a tcp probe has no path; use type: http"));
        }
        Probe probe = new Probe(type, path, node.duration("interval", false), node.duration("timeout", false),
                node.integer("rise", 1, 100), node.integer("fall", 1, 100), node.duration("startGrace", true));
        node.rejectUnknown();
        return probe;
    }

    /** {@code strategy: name} or {@code strategy: {type: name, …its settings}}; round robin by default. */
    private LoadBalancingStrategy strategy(ConfigNode node) {
        Optional<ConfigNode> child = node.child("strategy");
        if (child.isEmpty()) {
            return LoadBalancingStrategy.roundRobin();
        }
        ConfigNode settings = child.get();
        String name = settings.isMapping() ? settings.string("type", "") : settings.text();
        Optional<ConfigCatalog.StrategyReader> reader = catalog.strategy(name == null ? "" : name.trim());
        if (reader.isEmpty()) {
            settings.problem("unknown strategy '" + name + "'; known: " + String.join(", ", catalog.strategyNames()));
            return LoadBalancingStrategy.roundRobin();
        }
        LoadBalancingStrategy strategy = reader.get().read(settings);
        settings.rejectUnknown();
        return strategy;
    }

    /** {@code autoscaler: type} or {@code autoscaler: {type: …, interval: …, …its settings}}; none by default. */
    private Autoscaler autoscaler(ConfigNode node, Replicas replicas) {
        Optional<ConfigNode> child = node.child("autoscaler");
        if (child.isEmpty()) {
            return new Autoscaler("none", Optional.of(new HoldPolicy()), Optional.empty());
        }
        ConfigNode settings = child.get();
        String type = settings.isMapping() ? settings.string("type", "") : settings.text();
        if (TargetAutoscaler.TYPE.equals(type == null ? null : type.trim())) {
            Autoscaler target = TargetAutoscaler.read(settings, replicas.min());
            settings.rejectUnknown();
            return target;
        }
        Optional<Duration> interval = settings.duration("interval", false);
        Optional<ConfigCatalog.AutoscalerReader> reader = catalog.autoscaler(type == null ? "" : type.trim());
        if (reader.isEmpty()) {
            settings.problem("unknown autoscaler '" + type + "'; known: " + String.join(", ", catalog.autoscalerTypes())
                    + ", " + TargetAutoscaler.TYPE);
            return new Autoscaler("none", Optional.of(new HoldPolicy()), interval);
        }
        Optional<ScalingPolicy> policy = reader.get().read(settings, interval);
        settings.rejectUnknown();
        if (interval.isEmpty() && type.trim().equals("requests-per-replica")) {
            // the seed's policy decides once per window
            interval = Optional.of(settings.duration("window", ConfigCatalog.SEED_WINDOW, false));
        }
        return new Autoscaler(type.trim(), policy, interval);
    }

    private static Timeouts timeouts(ConfigNode node) {
        Timeouts timeouts = new Timeouts(node.duration("drain", true),
                node.duration("stop", ContainerSpec.DEFAULT_STOP_GRACE, true), node.duration("shutdown", false));
        node.rejectUnknown();
        return timeouts;
    }
}
