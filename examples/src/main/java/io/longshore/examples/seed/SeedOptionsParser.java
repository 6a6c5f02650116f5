package io.longshore.examples.seed;

import io.longshore.api.LoadMetrics;
import io.longshore.api.Endpoint;
import io.longshore.core.OrphanPolicy;
import io.longshore.core.RolloutConfig;
import io.longshore.examples.acts.DatabaseSettings;
import io.longshore.examples.seed.SeedOptions.RuntimeKind;
import io.longshore.jetty.Gateway;
import io.longshore.jetty.Tls;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the seed main's flags one by one, then checks them together; the database flags fall
 * back to the environment given. Not thread-safe; one use.
 */
final class SeedOptionsParser {
    private static final List<String> DATABASE_FLAGS = List.of("--database", "--database-user", "--database-password");
    private final SeedOptions d = SeedOptions.DEFAULTS;
    private final Map<String, String> env;
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
    private Optional<String> databaseUrl = Optional.empty();
    private Optional<String> databaseUser = Optional.empty();
    private Optional<String> databasePassword = Optional.empty();
    private String strategy = d.balancing().strategy();
    private Duration slowStart = d.balancing().slowStartWindow();
    private final AutoscalerFlags autoscaler = new AutoscalerFlags();
    private Optional<Integer> tlsPort = Optional.empty();
    private Optional<Path> tlsCert = Optional.empty();
    private Optional<Path> tlsKey = Optional.empty();
    private Optional<Tls.Provider> tlsProvider = Optional.empty();
    private Optional<String> accessLog = Optional.empty();
    private Duration requestHeadTimeout = d.gateway().requestHeadTimeout();
    private Duration tunnelIdleTimeout = d.gateway().tunnelIdleTimeout();
    private boolean http2 = d.gateway().http2();
    private List<String> adminAllowedHosts = d.gateway().adminAllowedHosts();

    SeedOptionsParser(Map<String, String> env) {
        this.env = Map.copyOf(env);
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
                http2 = true;
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

    private static boolean isKnown(String flag) {
        return List.of("--runtime", "--port", "--host", "--admin-port", "--base-port", "--health-interval",
                "--scale-interval", "--requests-per-replica", "--min", "--max", "--rise", "--fall",
                "--image", "--namespace", "--static-backends", "--data-dir", "--database", "--database-user",
                "--database-password", "--orphans", "--strategy", "--slow-start", "--tls-port", "--tls-cert",
                "--tls-key", "--tls-provider", "--access-log", "--request-head-timeout", "--tunnel-idle-timeout",
                "--admin-allowed-hosts").contains(flag)
                || AutoscalerFlags.isKnown(flag);
    }

    private void apply(String flag, String value) {
        switch (flag) {
            case "--runtime" -> runtime = runtimeKind(value);
            case "--port" -> port = port(value, flag);
            case "--host" -> host = nonBlank(value, flag);
            case "--admin-port" -> adminPort = port(value, flag);
            case "--base-port" -> basePort = port(value, flag);
            case "--health-interval" -> healthInterval = Durations.parse(value, flag);
            case "--scale-interval" -> scaleInterval = Durations.parse(value, flag);
            case "--requests-per-replica" -> requestsPerReplica = integer(value, flag, 1);
            case "--min" -> min = integer(value, flag, 0);
            case "--max" -> max = integer(value, flag, 1);
            case "--rise" -> rise = integer(value, flag, 1);
            case "--fall" -> fall = integer(value, flag, 1);
            case "--image" -> image = Optional.of(nonBlank(value, flag));
            case "--namespace" -> namespace = Optional.of(namespace(value, flag));
            case "--static-backends" -> staticBackends = endpoints(value, flag);
            case "--data-dir" -> dataDir = path(value, flag);
            case "--database" -> databaseUrl = Optional.of(nonBlank(value, flag));
            case "--database-user" -> databaseUser = Optional.of(value);
            case "--database-password" -> databasePassword = Optional.of(value);
            case "--orphans" -> orphans = orphanPolicy(value, flag);
            case "--strategy" -> strategy = nonBlank(value, flag);
            case "--slow-start" -> slowStart = Durations.parse(value, flag);
            case "--tls-port" -> tlsPort = Optional.of(port(value, flag));
            case "--tls-cert" -> tlsCert = Optional.of(path(value, flag));
            case "--tls-key" -> tlsKey = Optional.of(path(value, flag));
            case "--tls-provider" -> tlsProvider = Optional.of(tlsProvider(value, flag));
            case "--access-log" -> accessLog = Optional.of(nonBlank(value, flag));
            case "--request-head-timeout" -> requestHeadTimeout = Durations.parse(value, flag);
            case "--tunnel-idle-timeout" -> tunnelIdleTimeout = Durations.parse(value, flag);
            case "--admin-allowed-hosts" -> adminAllowedHosts = hostNames(value, flag);
            default -> {
                if (!autoscaler.apply(flag, value)) {
                    throw new UsageException("unknown flag " + flag);
                }
            }
        }
    }

    private SeedOptions checked() {
        if (port == adminPort) {
            throw new UsageException("--port and --admin-port must differ, both are " + port);
        }
        Optional<DatabaseSettings> database = Optional.empty();
        if (!staticBackends.isEmpty()) {
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
        } else {
            checkReplicaSettings();
            database = database();
            if (runtime == RuntimeKind.KUBERNETES && database.isEmpty()) {
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
                requestsPerReplica, min, max, rise, fall, image, namespace, host, staticBackends, dataDir, database,
                orphans, gatewayFlags(), false, new BalancingOptions(strategy, slowStart), scaling);
    }

    /** TLS needs its port, certificate and key together, on a port of its own. */
    private GatewayFlags gatewayFlags() {
        Optional<GatewayFlags.TlsFlags> tls = Optional.empty();
        if (tlsPort.isPresent() || tlsCert.isPresent() || tlsKey.isPresent()) {
            if (tlsPort.isEmpty() || tlsCert.isEmpty() || tlsKey.isEmpty()) {
                throw new UsageException("--tls-port, --tls-cert and --tls-key go together; missing: "
                        + String.join(", ", missingTlsFlags()));
            }
            if (tlsPort.get() == port || tlsPort.get() == adminPort) {
                throw new UsageException("--tls-port must differ from --port and --admin-port, was " + tlsPort.get());
            }
            tls = Optional.of(new GatewayFlags.TlsFlags(tlsPort.get(), tlsCert.get(), tlsKey.get(),
                    tlsProvider.orElse(Tls.Provider.AUTO)));
        } else if (tlsProvider.isPresent()) {
            throw new UsageException("--tls-provider needs --tls-port, --tls-cert and --tls-key");
        }
        if (requestHeadTimeout.isZero()) {
            throw new UsageException("--request-head-timeout must be positive");
        }
        if (tunnelIdleTimeout.isZero()) {
            throw new UsageException("--tunnel-idle-timeout must be positive");
        }
        return new GatewayFlags(tls, accessLog, requestHeadTimeout, tunnelIdleTimeout, http2, adminAllowedHosts);
    }

    /** {@code auto}, {@code jdk} or {@code conscrypt}. */
    static Tls.Provider tlsProvider(String value, String flag) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> Tls.Provider.AUTO;
            case "jdk" -> Tls.Provider.JDK;
            case "conscrypt" -> Tls.Provider.CONSCRYPT;
            default -> throw new UsageException(flag + " must be auto, jdk or conscrypt, was '" + value + "'");
        };
    }

    private List<String> missingTlsFlags() {
        List<String> missing = new ArrayList<>();
        if (tlsPort.isEmpty()) {
            missing.add("--tls-port");
        }
        if (tlsCert.isEmpty()) {
            missing.add("--tls-cert");
        }
        if (tlsKey.isEmpty()) {
            missing.add("--tls-key");
        }
        return missing;
    }

    /** The flags, else the environment; empty for the embedded database. */
    private Optional<DatabaseSettings> database() {
        Optional<String> url = databaseUrl.or(() -> fromEnv(DatabaseSettings.URL_ENV));
        if (url.isEmpty()) {
            for (String flag : DATABASE_FLAGS.subList(1, DATABASE_FLAGS.size())) {
                if (given.contains(flag)) {
                    throw new UsageException(flag + " needs --database (or " + DatabaseSettings.URL_ENV + ")");
                }
            }
            return Optional.empty();
        }
        if (url.get().startsWith("jdbc:h2:mem:")) {
            throw new UsageException("--database " + url.get() + " would give every replica a database of its own;"
                    + " leave --database out for the shared H2 server");
        }
        try {
            return Optional.of(new DatabaseSettings(url.get(),
                    databaseUser.or(() -> fromEnv(DatabaseSettings.USER_ENV)).orElse(""),
                    databasePassword.or(() -> fromEnv(DatabaseSettings.PASSWORD_ENV)).orElse("")));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--database: " + e.getMessage());
        }
    }

    private Optional<String> fromEnv(String name) {
        return Optional.ofNullable(env.get(name)).filter(value -> !value.isBlank());
    }

    private static OrphanPolicy orphanPolicy(String value, String flag) {
        for (OrphanPolicy policy : OrphanPolicy.values()) {
            if (SeedOptions.flagValue(policy).equals(value.trim().toLowerCase(Locale.ROOT))) {
                return policy;
            }
        }
        throw new UsageException(flag + " must be adopt or die-with-parent, was '" + value + "'");
    }

    private static Path path(String value, String flag) {
        try {
            return Path.of(nonBlank(value, flag));
        } catch (InvalidPathException e) {
            throw new UsageException(flag + " is not a usable path: " + e.getMessage());
        }
    }

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
        for (int taken : new int[] {port, adminPort, tlsPort.orElse(port)}) {
            if (taken >= basePort && taken <= lastPort) {
                throw new UsageException("replica ports " + basePort + ".." + lastPort
                        + " overlap the gateway or admin port " + taken);
            }
        }
    }

    private static RuntimeKind runtimeKind(String value) {
        try {
            return RuntimeKind.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--runtime must be auto, process, docker or kubernetes, was '" + value + "'");
        }
    }

    private static int port(String value, String flag) {
        int port = integer(value, flag, 1);
        if (port > 65_535) {
            throw new UsageException(flag + " must be a port in 1..65535, was " + value);
        }
        return port;
    }

    static int integer(String value, String flag, int least) {
        int number;
        try {
            number = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " expects a whole number, was '" + value + "'");
        }
        if (number < least) {
            throw new UsageException(flag + " must be at least " + least + ", was " + number);
        }
        return number;
    }

    private static String nonBlank(String value, String flag) {
        if (value.isBlank()) {
            throw new UsageException(flag + " must not be blank");
        }
        return value.trim();
    }

    private static String namespace(String value, String flag) {
        String name = nonBlank(value, flag);
        if (!name.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw new UsageException(flag + " must be a Kubernetes namespace name (lower-case letters, digits and"
                    + " '-', at most 63), was '" + value + "'");
        }
        return name;
    }

    /**
     * {@code name,name,...}: host names or IP addresses without port or scheme, checked by the
     * gateway builder's own rule so the flag refuses at once what the gateway would refuse later.
     */
    private static List<String> hostNames(String value, String flag) {
        List<String> names = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String name = part.trim();
            try {
                Gateway.builder().adminAllowedHosts(name);
            } catch (IllegalArgumentException e) {
                throw new UsageException(flag + " expects name,name,... (host names or IP addresses without port or"
                        + " scheme) but got '" + name + "'");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    private static List<Endpoint> endpoints(String value, String flag) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (String part : value.split(",")) {
            try {
                endpoints.add(Endpoint.parse(part.trim()));
            } catch (IllegalArgumentException e) {
                throw new UsageException(flag + " expects host:port,host:port,... but got '" + part.trim()
                        + "': " + e.getMessage());
            }
        }
        return List.copyOf(endpoints);
    }
}
