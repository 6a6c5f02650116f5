package io.longshore.examples.seed;

import io.longshore.api.Endpoint;
import io.longshore.core.OrphanPolicy;
import io.longshore.examples.acts.DatabaseSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The seed main's command line. Immutable; {@link #parse(String...)} validates every flag and
 * the flags together, and throws a {@link UsageException} that says what is wrong.
 *
 * @param runtime            where replicas run
 * @param port               the gateway's port
 * @param adminPort          the admin API's port (on 127.0.0.1)
 * @param basePort           the first replica's port
 * @param healthInterval     how often each replica is probed
 * @param scaleInterval      how often (and over what window) the autoscaler decides
 * @param requestsPerReplica requests per interval that justify one more replica
 * @param min                the fewest replicas
 * @param max                the most replicas
 * @param rise               passing probes that make a replica ready
 * @param fall               failing probes that get a replica replaced
 * @param image              the workload's image (Docker or Kubernetes), when given
 * @param namespace          the Kubernetes namespace of the replicas, when given
 * @param host               the address the gateway listens on
 * @param staticBackends     existing servers to balance over instead of running replicas
 * @param dataDir            where the seed main keeps its state: the embedded acts database
 *                           under {@code acts-db/}, the records of local process replicas under
 *                           {@code processes/} (relative paths are taken from the working
 *                           directory)
 * @param database           the existing database the replicas share instead of the embedded
 *                           one, when given
 * @param orphans            what becomes of local process replicas when the seed main dies
 *                           without stopping them; they are recorded under {@code processes/} in
 *                           the data directory
 * @param gateway            the gateway's TLS, access log and request-head timeout
 * @param help               whether {@code --help} was asked for
 * @param balancing          the strategy and slow start ({@code --strategy}, {@code --slow-start})
 * @param autoscaler         which policy scales the replicas ({@code --autoscaler seed|target}) and its settings
 */
public record SeedOptions(RuntimeKind runtime, int port, int adminPort, int basePort,
                          Duration healthInterval, Duration scaleInterval, int requestsPerReplica,
                          int min, int max, int rise, int fall, Optional<String> image,
                          Optional<String> namespace, String host, List<Endpoint> staticBackends, Path dataDir, Optional<DatabaseSettings> database,
                          OrphanPolicy orphans, GatewayFlags gateway, boolean help, BalancingOptions balancing,
                          AutoscalerOptions autoscaler) {

    /** Where replicas run. */
    public enum RuntimeKind {
        /** Docker when an engine answers, else local processes. */
        AUTO,
        /** Local child processes. */
        PROCESS,
        /** Docker containers. */
        DOCKER,
        /** Pods on the Kubernetes cluster of the kubeconfig (or of the pod the seed runs in). */
        KUBERNETES
    }

    /** The default {@code --data-dir}, relative to the working directory. */
    public static final Path DEFAULT_DATA_DIR = Path.of("longshore-data");
    /** Where under the data directory the process runtime records its replicas. */
    public static final String PROCESSES_DIR = "processes";

    /** The defaults, as the seed document runs. */
    public static final SeedOptions DEFAULTS = new SeedOptions(RuntimeKind.AUTO, 8080, 8081, 8000,
            Duration.ofSeconds(1), Duration.ofMinutes(2), 20, 1, 10, 1, 1, Optional.empty(), Optional.empty(),
            Endpoint.LOOPBACK, List.of(),
            DEFAULT_DATA_DIR, Optional.empty(), OrphanPolicy.ADOPT, GatewayFlags.DEFAULTS, false,
            BalancingOptions.DEFAULTS, AutoscalerOptions.DEFAULTS);

    private static final String USAGE = """
            usage: java -jar longshore-seed.jar [flags]
            Runs the acts service as replicas behind a load balancer, replaces unhealthy ones
            on the same port and scales them with the request rate (the seed scenario).

              --runtime auto|process|docker|kubernetes
                                             where replicas run; auto = Docker when an engine
                                             answers, else local processes (default auto);
                                             kubernetes = pods on the cluster of $KUBECONFIG or
                                             ~/.kube/config, or of the pod the seed runs in
              --port N                       gateway port (default %d)
              --host ADDRESS                 address the gateway listens on (default %s; 0.0.0.0
                                             in a pod, so that a Service reaches it)
              --admin-port N                 admin API port on 127.0.0.1 (default %d)
              --base-port N                  first replica's port; more take N+1, N+2, ... (default %d)
              --health-interval D            probe each replica every D (default %s)
              --autoscaler seed|target       seed = replicas from the request count every
                                             --scale-interval; target = target tracking of the
                                             requests in flight per replica, with burst mode and
                                             scale to zero (default seed)
              --scale-interval D             seed autoscaler: interval and window (default %s)
              --requests-per-replica N       seed autoscaler: replicas = requests in the window / N + 1 (default %d)
              --target-concurrency N         target: requests in flight per replica to aim at (default %d)
              --scale-tick D                 target: how often it decides (default %s)
              --stable-window D              target: the window it decides on (default %s)
              --burst-window D               target: the short window that detects bursts (default %s)
              --idle D                       target with --min 0: stop the last replica after D without
                                             a request (default: the stable window)
              --max-waiting N                target: requests the gateway holds while no replica has
                                             room, then 503 (default %d; 0 = 503 at once)
              --max-wait D                   target: how long a held request waits, then 503 (default %s)
              --container-concurrency N      target: requests one replica takes at once; more wait in
                                             the gateway (default %d; 0 = no limit)
              --min N                        fewest replicas (default %d)
              --max N                        most replicas (default %d)
              --rise N                       passing probes before a replica gets traffic (default %d)
              --fall N                       failing probes before a replica is replaced (default %d, as the seed)
              --image NAME                   image of the workload (docker default: longshore/acts:local,
                                             the acts service, built here once and reused;
                                             kubernetes: required, an image the cluster can pull)
              --namespace NAME               Kubernetes namespace of the pods (default: the
                                             kubeconfig context's, else default)
              --data-dir DIR                 the seed main's state: the acts database lives in
                                             DIR/acts-db, served by H2 on 127.0.0.1; local process
                                             replicas are recorded in DIR/processes (default %s)
              --database JDBC_URL            use this existing database instead, e.g.
                                             jdbc:postgresql://127.0.0.1:5432/acts (default: $%s;
                                             required with kubernetes: one the pods reach)
              --database-user USER           its user (default: $%s)
              --database-password PASSWORD   its password (default: $%s; prefer the variable)
              --orphans adopt|die-with-parent  local process replicas when the seed main is killed
                                             (SIGKILL, a crash): adopt = they keep serving and the
                                             next seed main on the same --data-dir adopts them
                                             (recorded in DIR/processes); die-with-parent = they
                                             end within a second (default %s)
              --static-backends H:P,...      no runtime: balance over these existing servers
              --strategy S                   how the gateway picks a replica (default %s):
                                             round-robin|random|least-request|p2c|peak-ewma|
                                             hash:header:NAME|hash:cookie:NAME|hash:ip|hash:path
              --slow-start D                 a replica that just became ready (or came back
                                             from ejection) ramps from 10%% to its whole weight
                                             over D, for round-robin and least-request (default off)
              --tls-port N                   also serve HTTPS on port N (needs --tls-cert, --tls-key)
              --tls-cert FILE                PEM certificate chain for --tls-port
              --tls-key FILE                 PEM private key (PKCS#8 or PKCS#1 RSA, unencrypted)
              --tls-provider P               what terminates TLS: auto (Conscrypt's BoringSSL
                                             where it loads, else the JDK's), jdk or conscrypt
                                             (default auto)
              --access-log FILE              one line per request, combined format; - = standard output
              --request-head-timeout D       a client must send a whole request head within D,
                                             else 408 (default %s)
              --tunnel-idle-timeout D        close an upgraded connection (a WebSocket) silent
                                             both ways for D (default %s)
              --http2                        also serve HTTP/2: to clients that open with its
                                             preface (prior knowledge) and, on --tls-port, to
                                             those that offer h2 by ALPN (default off)
              --admin-allowed-hosts A,B      more Host names the admin API answers to beyond
                                             127.0.0.1, [::1] and localhost (others get 421)
              --config FILE [--check]        run what a config file describes instead of these
                                             flags (docs/config.md); --check only validates it
              --help                         print this help

            Durations: 500ms, 10s, 2m, 1h (at most 876000h, 100 years).
            """;

    public SeedOptions {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(healthInterval, "healthInterval");
        Objects.requireNonNull(scaleInterval, "scaleInterval");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(orphans, "orphans");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(balancing, "balancing");
        Objects.requireNonNull(autoscaler, "autoscaler");
        staticBackends = List.copyOf(staticBackends);
    }

    /** Options with the seed's autoscaler ({@link AutoscalerOptions#DEFAULTS}). */
    public SeedOptions(RuntimeKind runtime, int port, int adminPort, int basePort, Duration healthInterval,
                       Duration scaleInterval, int requestsPerReplica, int min, int max, int rise, int fall,
                       Optional<String> image, Optional<String> namespace, String host, List<Endpoint> staticBackends,
                       Path dataDir, Optional<DatabaseSettings> database, OrphanPolicy orphans, boolean help) {
        this(runtime, port, adminPort, basePort, healthInterval, scaleInterval, requestsPerReplica, min, max, rise,
                fall, image, namespace, host, staticBackends, dataDir, database, orphans, GatewayFlags.DEFAULTS, help,
                BalancingOptions.DEFAULTS, AutoscalerOptions.DEFAULTS);
    }

    /** Whether the gateway balances over {@link #staticBackends()} instead of running replicas. */
    public boolean isStatic() {
        return !staticBackends.isEmpty();
    }

    /**
     * Parses {@code args} alone, ignoring the environment; {@code --name value} and
     * {@code --name=value} are both accepted.
     */
    public static SeedOptions parse(String... args) {
        return parse(Map.of(), args);
    }

    /**
     * Parses {@code args} over {@code env}: the database flags default to
     * {@value DatabaseSettings#URL_ENV}, {@value DatabaseSettings#USER_ENV} and
     * {@value DatabaseSettings#PASSWORD_ENV}. The seed main passes its own environment.
     */
    public static SeedOptions parse(Map<String, String> env, String... args) {
        return new SeedOptionsParser(env).parse(args);
    }

    /** The help text: every flag with its default. */
    public static String usage() {
        SeedOptions d = DEFAULTS;
        AutoscalerOptions a = d.autoscaler;
        return USAGE.formatted(d.port, d.host, d.adminPort, d.basePort, Durations.format(d.healthInterval),
                Durations.format(d.scaleInterval), d.requestsPerReplica, a.targetConcurrency(),
                Durations.format(a.scaleTick()), Durations.format(a.stableWindow()), Durations.format(a.burstWindow()),
                a.maxWaiting(), Durations.format(a.maxWait()), a.containerConcurrency(), d.min, d.max, d.rise, d.fall,
                d.dataDir, DatabaseSettings.URL_ENV, DatabaseSettings.USER_ENV, DatabaseSettings.PASSWORD_ENV,
                flagValue(d.orphans), d.balancing.strategy(), Durations.format(d.gateway.requestHeadTimeout()),
                Durations.format(d.gateway.tunnelIdleTimeout()));
    }

    /** The state directory of the process runtime: {@code <dataDir>/processes}. */
    public Path processStateDir() {
        return dataDir.resolve(PROCESSES_DIR);
    }

    /** {@code DIE_WITH_PARENT} as the flag spells it: {@code die-with-parent}. */
    static String flagValue(OrphanPolicy orphans) {
        return orphans.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Builds the arguments that reproduce these options (for forked runs and logs), except the
     * database password, which is never written out: pass it in the environment.
     */
    public List<String> toArgs() {
        List<String> args = new ArrayList<>(List.of(
                "--port", String.valueOf(port), "--admin-port", String.valueOf(adminPort), "--host", host,
                "--strategy", balancing.strategy()));
        if (!balancing.slowStartWindow().isZero()) {
            args.addAll(List.of("--slow-start", Durations.format(balancing.slowStartWindow())));
        }
        args.addAll(gateway.toArgs());
        if (isStatic()) {
            args.addAll(List.of("--static-backends", String.join(",",
                    staticBackends.stream().map(Endpoint::toString).toList())));
            return args;
        }
        args.addAll(List.of("--runtime", runtime.name().toLowerCase(java.util.Locale.ROOT),
                "--base-port", String.valueOf(basePort),
                "--health-interval", Durations.format(healthInterval),
                "--min", String.valueOf(min), "--max", String.valueOf(max),
                "--rise", String.valueOf(rise), "--fall", String.valueOf(fall),
                "--data-dir", dataDir.toString()));
        if (runtime == RuntimeKind.PROCESS || runtime == RuntimeKind.AUTO) {
            args.addAll(List.of("--orphans", flagValue(orphans)));
        }
        image.ifPresent(name -> args.addAll(List.of("--image", name)));
        if (autoscaler.kind() == AutoscalerOptions.Kind.SEED) {
            args.addAll(List.of("--scale-interval", Durations.format(scaleInterval),
                    "--requests-per-replica", String.valueOf(requestsPerReplica)));
        }
        args.addAll(autoscaler.toArgs());
        namespace.ifPresent(name -> args.addAll(List.of("--namespace", name)));
        database.ifPresent(db -> {
            args.addAll(List.of("--database", db.url()));
            if (!db.user().isEmpty()) {
                args.addAll(List.of("--database-user", db.user()));
            }
        });
        return args;
    }
}
