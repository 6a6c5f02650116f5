package io.longshore.examples.seed;

import io.longshore.api.Endpoint;
import io.longshore.api.LoadMetrics;
import io.longshore.core.OrphanPolicy;
import io.longshore.core.RolloutConfig;
import io.longshore.examples.acts.DatabaseSettings;
import io.longshore.examples.seed.SeedOptions.RuntimeKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the seed main's flags one by one, then checks them together. It reads the runtime,
 * port and replica flags itself and hands the others to their readers: {@link DatabaseFlags}
 * (which fall back to the environment given), {@link GatewayFlagsReader} and
 * {@link AutoscalerFlags}; {@link FlagValues} parses each value. Not thread-safe; one use.
 */
final class SeedOptionsParser {
    private static final List<String> FLAGS = List.of("--runtime", "--port", "--host", "--admin-port", "--base-port",
            "--health-interval", "--scale-interval", "--requests-per-replica", "--min", "--max", "--rise", "--fall",
            "--image", "--namespace", "--static-backends", "--data-dir", "--orphans", "--strategy", "--slow-start");
    private final SeedOptions d = SeedOptions.DEFAULTS;
    private final Set<String> given = new HashSet<>();
    private RuntimeKind runtime = d.runtime();
    private int port = d.port();
    private int adminPort = d.adminPort();
    private int basePort = d.basePort();
    private Duration healthInterval = d.healthInterval();
    private Duration scaleInterval = d.scaleInterval();
    private int requestsPerReplica = d.requestsPerReplica();
    private int min = d.min();
    private int max = d.max();
    private int rise = d.rise();
    private int fall = d.fall();
    private Optional<String> image = d.image();
    private Optional<String> namespace = d.namespace();
    private String host = d.host();
    private List<Endpoint> staticBackends = d.staticBackends();
    private Path dataDir = d.dataDir();
    private OrphanPolicy orphans = d.orphans();
    private String strategy = d.balancing().strategy();
    private Duration slowStart = d.balancing().slowStartWindow();
    private final DatabaseFlags database;
    private final GatewayFlagsReader gateway = new GatewayFlagsReader();
    private final AutoscalerFlags autoscaler = new AutoscalerFlags();

    SeedOptionsParser(Map<String, String> env) {
        this.database = new DatabaseFlags(env);
    }

    SeedOptions parse(String... args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return new SeedOptions(runtime, port, adminPort, basePort, healthInterval, scaleInterval,
                        requestsPerReplica, min, max, rise, fall, image, namespace, host, staticBackends, dataDir, Optional.empty(),
                        orphans, d.gateway(), true, BalancingOptions.DEFAULTS, autoscaler.options());
            }
            if (arg.equals(GatewayFlags.HTTP2_FLAG)) {
                if (!given.add(arg)) {
                    throw new UsageException(arg + " is given twice");
                }
                gateway.turnOnHttp2();
                continue;
            }
            if (arg.startsWith(GatewayFlags.HTTP2_FLAG + "=")) {
                throw new UsageException(GatewayFlags.HTTP2_FLAG + " takes no value: give it to turn HTTP/2 on, leave it"
                        + " out to keep it off");
            }
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'; flags start with --");
            }
            int equals = arg.indexOf('=');
            String flag = equals < 0 ? arg : arg.substring(0, equals);
            if (flag.equals("--check")) {
                throw new UsageException("--check goes with --config FILE: it checks that file and exits");
            }
            String value;
            if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException(isKnown(flag) ? flag + " needs a value" : "unknown flag " + flag);
            }
            if (!given.add(flag)) {
                throw new UsageException(flag + " is given twice");
            }
            apply(flag, value);
        }
        return checked();
    }

    /** Whether {@code flag} is one that takes a value. */
    private static boolean isKnown(String flag) {
        return FLAGS.contains(flag) || DatabaseFlags.isKnown(flag) || GatewayFlagsReader.isKnown(flag)
                || AutoscalerFlags.isKnown(flag);
    }

    private void apply(String flag, String value) {
        switch (flag) {
            case "--runtime" -> runtime = FlagValues.runtimeKind(value);
            case "--port" -> port = FlagValues.port(value, flag);
            case "--host" -> host = FlagValues.nonBlank(value, flag);
            case "--admin-port" -> adminPort = FlagValues.port(value, flag);
            case "--base-port" -> basePort = FlagValues.port(value, flag);
            case "--health-interval" -> healthInterval = Durations.parse(value, flag);
            case "--scale-interval" -> scaleInterval = Durations.parse(value, flag);
            case "--requests-per-replica" -> requestsPerReplica = FlagValues.integer(value, flag, 1);
            case "--min" -> min = FlagValues.integer(value, flag, 0);
            case "--max" -> max = FlagValues.integer(value, flag, 1);
            case "--rise" -> rise = FlagValues.integer(value, flag, 1);
            case "--fall" -> fall = FlagValues.integer(value, flag, 1);
            case "--image" -> image = Optional.of(FlagValues.nonBlank(value, flag));
            case "--namespace" -> namespace = Optional.of(FlagValues.namespace(value, flag));
            case "--static-backends" -> staticBackends = FlagValues.endpoints(value, flag);
            case "--data-dir" -> dataDir = FlagValues.path(value, flag);
            case "--orphans" -> orphans = FlagValues.orphanPolicy(value, flag);
            case "--strategy" -> strategy = FlagValues.nonBlank(value, flag);
            case "--slow-start" -> slowStart = Durations.parse(value, flag);
            default -> {
                if (!database.apply(flag, value) && !gateway.apply(flag, value) && !autoscaler.apply(flag, value)) {
                    throw new UsageException("unknown flag " + flag);
                }
            }
        }
    }

    /** The flags read, checked together. */
    private SeedOptions checked() {
        if (port == adminPort) {
            throw new UsageException("--port and --admin-port must differ, both are " + port);
        }
        Optional<DatabaseSettings> settings = Optional.empty();
        if (!staticBackends.isEmpty()) {
            checkNoReplicaFlags();
        } else {
            checkReplicaSettings();
            settings = database.settings(given);
            if (runtime == RuntimeKind.KUBERNETES && settings.isEmpty()) {
                throw new UsageException("--runtime kubernetes needs --database (or " + DatabaseSettings.URL_ENV
                        + "): a database the pods reach; the embedded H2 server listens on 127.0.0.1 only");
            }
        }
        AutoscalerOptions scaling = autoscaler.checked(given, min, !staticBackends.isEmpty());
        if (scaling.kind() == AutoscalerOptions.Kind.SEED && scaleInterval.compareTo(LoadMetrics.MAX_WINDOW) > 0) {
            throw new UsageException("--scale-interval (" + Durations.format(scaleInterval) + ") is also the window"
                    + " requests are counted over, which must not be longer than the "
                    + Durations.format(LoadMetrics.MAX_WINDOW) + " the gateway measures load over");
        }
        return new SeedOptions(runtime, port, adminPort, basePort, healthInterval, scaleInterval,
                requestsPerReplica, min, max, rise, fall, image, namespace, host, staticBackends, dataDir, settings,
                orphans, gateway.checked(port, adminPort), false, new BalancingOptions(strategy, slowStart), scaling);
    }

    /** With {@code --static-backends} no runtime runs: its flags and the replicas' are refused. */
    private void checkNoReplicaFlags() {
        for (String flag : List.of("--runtime", "--image", "--namespace", "--base-port", "--data-dir", "--database",
                "--database-user", "--database-password", "--orphans")) {
            if (given.contains(flag)) {
                throw new UsageException(flag + " makes no sense with --static-backends (no runtime runs)");
            }
        }
        // the gateway balances over servers it neither starts, probes nor scales
        for (String flag : List.of("--min", "--max", "--rise", "--fall", "--health-interval", "--scale-interval",
                "--requests-per-replica")) {
            if (given.contains(flag)) {
                throw new UsageException(flag + " makes no sense with --static-backends (the backends are not"
                        + " started, probed or scaled)");
            }
        }
    }

    /** The replicas' count, ports, image, namespace and orphan policy, against the runtime. */
    private void checkReplicaSettings() {
        if (min > max) {
            throw new UsageException("--min (" + min + ") must not exceed --max (" + max + ")");
        }
        long lastPort = (long) basePort + max - 1;
        if (lastPort > 65_535) {
            throw new UsageException("--base-port " + basePort + " + --max " + max + " runs past port 65535");
        }
        // a rollout at --max starts its surge replicas on the ports just above the others
        int surge = RolloutConfig.defaults().surgeFor(max);
        lastPort += surge;
        if (lastPort > 65_535) {
            throw new UsageException("--base-port " + basePort + " + --max " + max + " + a rollout's surge of " + surge
                    + " runs past port 65535");
        }
        if (runtime != RuntimeKind.KUBERNETES) {
            checkReplicaPortsClear(lastPort);
        }
        if (image.isPresent() && runtime == RuntimeKind.PROCESS) {
            throw new UsageException("--image applies to the docker and kubernetes runtimes only");
        }
        if (namespace.isPresent() && runtime != RuntimeKind.KUBERNETES) {
            throw new UsageException("--namespace applies to the kubernetes runtime only");
        }
        if (runtime == RuntimeKind.KUBERNETES && image.isEmpty()) {
            throw new UsageException("--runtime kubernetes needs --image: an image the cluster can pull that serves"
                    + " the acts API on $PORT");
        }
        if (given.contains("--orphans") && (runtime == RuntimeKind.DOCKER || runtime == RuntimeKind.KUBERNETES)) {
            throw new UsageException("--orphans applies to the process runtime only (containers and pods always"
                    + " outlive the seed main and are adopted)");
        }
    }

    /**
     * Processes and containers take their ports on this host, beside the gateway's and the admin
     * API's; pods serve on addresses of their own, where those ports are free.
     */
    private void checkReplicaPortsClear(long lastPort) {
        for (int taken : new int[] {port, adminPort, gateway.tlsPort().orElse(port)}) {
            if (taken >= basePort && taken <= lastPort) {
                throw new UsageException("replica ports " + basePort + ".." + lastPort
                        + " overlap the gateway or admin port " + taken);
            }
        }
    }
}
