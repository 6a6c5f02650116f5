package io.longshore.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longshore.api.Endpoint;
import io.longshore.core.OrphanPolicy;
import io.longshore.examples.seed.SeedOptions.RuntimeKind;
import io.longshore.examples.acts.DatabaseSettings;
import io.longshore.jetty.Tls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeedOptionsTest {

    @Test
    void noFlagsGiveTheSeedDefaults() {
        SeedOptions options = SeedOptions.parse();

        assertThat(options).isEqualTo(SeedOptions.DEFAULTS);
        assertThat(options.runtime()).isEqualTo(RuntimeKind.AUTO);
        assertThat(options.port()).isEqualTo(8080);
        assertThat(options.adminPort()).isEqualTo(8081);
        assertThat(options.basePort()).isEqualTo(8000);
        assertThat(options.healthInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.scaleInterval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(options.requestsPerReplica()).isEqualTo(20);
        assertThat(options.min()).isEqualTo(1);
        assertThat(options.max()).isEqualTo(10);
        assertThat(options.image()).isEmpty();
        assertThat(options.host()).isEqualTo("127.0.0.1");
        assertThat(options.isStatic()).isFalse();
        assertThat(options.dataDir()).isEqualTo(Path.of("longshore-data"));
        assertThat(options.database()).isEmpty();
        assertThat(options.processStateDir()).isEqualTo(Path.of("longshore-data", "processes"));
        assertThat(options.orphans()).isEqualTo(OrphanPolicy.ADOPT);
        assertThat(options.balancing().strategy()).isEqualTo("round-robin");
        assertThat(options.balancing().slowStart().enabled()).isFalse();
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
        "round-robin|round-robin", "random|random", "least-request|least-request", "p2c|power-of-two-choices",
        "peak-ewma|peak-ewma", "hash:header:X-User|hash:header:X-User", "hash:cookie:session|hash:cookie:session",
        "hash:ip|hash:ip", "hash:path|hash:path"
    })
    void everyStrategyOfTheFlagIsBuiltUnderItsName(String flag, String name) {
        SeedOptions options = SeedOptions.parse("--strategy", flag);

        assertThat(options.balancing().newStrategy()).hasToString(name);
        assertThat(options.balancing().newStrategy()).as("a new instance each time")
                .isNotSameAs(options.balancing().newStrategy());
    }

    @Test
    void slowStartTakesAWindowAndAppliesToStaticBackendsToo() {
        SeedOptions options = SeedOptions.parse("--static-backends", "127.0.0.1:9001", "--strategy", "least-request",
                "--slow-start", "30s");

        assertThat(options.balancing().slowStart().window()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.balancing().slowStart().minWeightPercent()).isEqualTo(10);
        assertThat(SeedOptions.parse(options.toArgs().toArray(String[]::new))).isEqualTo(options);
    }

    @Test
    void orphansIsAdoptOrDieWithParent() {
        assertThat(SeedOptions.parse("--orphans", "die-with-parent").orphans()).isEqualTo(OrphanPolicy.DIE_WITH_PARENT);
        assertThat(SeedOptions.parse("--orphans=ADOPT", "--runtime", "process").orphans()).isEqualTo(OrphanPolicy.ADOPT);
        assertThat(SeedOptions.parse("--data-dir", "d", "--orphans", "die-with-parent").processStateDir())
                .isEqualTo(Path.of("d", "processes"));
    }

    @Test
    void everyFlagIsReadInBothSpellings() {
        SeedOptions options = SeedOptions.parse("--runtime", "docker", "--port=9080", "--admin-port", "9081",
                "--base-port", "9000", "--health-interval=500ms", "--scale-interval", "5s",
                "--requests-per-replica", "7", "--min", "2", "--max=4", "--rise", "2", "--fall", "3",
                "--image", "acts:latest", "--data-dir=/var/lib/seed", "--database", "jdbc:postgresql://db/acts",
                "--database-user", "ann", "--database-password=pw", "--host", "0.0.0.0");

        assertThat(options).isEqualTo(new SeedOptions(RuntimeKind.DOCKER, 9080, 9081, 9000,
                Duration.ofMillis(500), Duration.ofSeconds(5), 7, 2, 4, 2, 3, Optional.of("acts:latest"),
                Optional.empty(), "0.0.0.0", List.of(), Path.of("/var/lib/seed"),
                Optional.of(new DatabaseSettings("jdbc:postgresql://db/acts", "ann", "pw")), OrphanPolicy.ADOPT,
                GatewayFlags.DEFAULTS, false, BalancingOptions.DEFAULTS, AutoscalerOptions.DEFAULTS));
    }

    @Test
    void theKubernetesRuntimeTakesAnImageANamespaceAndADatabaseThePodsReach() {
        SeedOptions options = SeedOptions.parse("--runtime", "kubernetes", "--image", "registry.example/acts:1",
                "--namespace", "shop", "--database", "jdbc:postgresql://db.shop.svc/acts");

        assertThat(options.runtime()).isEqualTo(RuntimeKind.KUBERNETES);
        assertThat(options.image()).hasValue("registry.example/acts:1");
        assertThat(options.namespace()).hasValue("shop");
        assertThat(SeedOptions.parse(options.toArgs().toArray(String[]::new))).isEqualTo(options);
    }

    @Test
    void podsServeOnAddressesOfTheirOwnSoTheirPortsMayBeTheGatewaysButStillNotPast65535() {
        String[] pods = {"--runtime", "kubernetes", "--image", "registry.example/acts:1", "--database",
            "jdbc:postgresql://db.shop.svc/acts"};

        SeedOptions options = SeedOptions.parse(with(pods, "--port", "8003", "--admin-port", "8012"));

        assertThat(options.port()).isEqualTo(8003);
        assertThat(options.adminPort()).isEqualTo(8012);
        assertThatThrownBy(() -> SeedOptions.parse(with(pods, "--base-port", "65524"))).isInstanceOf(UsageException.class)
                .hasMessageContaining("--base-port 65524 + --max 10 + a rollout's surge of 3 runs past port 65535");
    }

    private static String[] with(String[] args, String... more) {
        return Stream.concat(Arrays.stream(args), Arrays.stream(more)).toArray(String[]::new);
    }

    @Test
    void theDatabaseComesFromTheEnvironmentWhenNoFlagNamesIt() {
        Map<String, String> env = Map.of(DatabaseSettings.URL_ENV, "jdbc:postgresql://db/acts",
                DatabaseSettings.USER_ENV, "ann", DatabaseSettings.PASSWORD_ENV, "pw");

        assertThat(SeedOptions.parse(env).database())
                .contains(new DatabaseSettings("jdbc:postgresql://db/acts", "ann", "pw"));
        assertThat(SeedOptions.parse(env, "--database-user", "bob").database())
                .contains(new DatabaseSettings("jdbc:postgresql://db/acts", "bob", "pw"));
        assertThat(SeedOptions.parse(env, "--database", "jdbc:postgresql://other/acts").database().orElseThrow().url())
                .isEqualTo("jdbc:postgresql://other/acts");
        assertThat(SeedOptions.parse(Map.of(DatabaseSettings.USER_ENV, "ann")).database())
                .as("a user alone names no database").isEmpty();
    }

    @Test
    void staticBackendsAreAListOfHostsAndPorts() {
        SeedOptions options = SeedOptions.parse("--static-backends", "127.0.0.1:9001, localhost:9002");

        assertThat(options.isStatic()).isTrue();
        assertThat(options.staticBackends())
                .containsExactly(Endpoint.loopback(9001), new Endpoint("localhost", 9002));
    }

    @Test
    void helpIsRecognisedAnywhere() {
        assertThat(SeedOptions.parse("--port", "9000", "--help").help()).isTrue();
        assertThat(SeedOptions.parse("-h").help()).isTrue();
    }

    @Test
    void theUsageNamesEveryFlag() {
        assertThat(SeedOptions.usage()).contains("--runtime", "--port", "--host", "--admin-port", "--base-port",
                "--health-interval", "--scale-interval", "--requests-per-replica", "--min", "--max",
                "--rise", "--fall", "--image", "--namespace", "kubernetes", "--static-backends", "--help",
                "default 2m", "default 8000",
                "--data-dir", "default longshore-data", "--database", "--database-user", "--database-password",
                "ACTS_DATABASE_URL", "ACTS_DATABASE_PASSWORD", "--orphans adopt|die-with-parent", "default adopt",
                "--strategy S", "round-robin|random|least-request|p2c|peak-ewma|", "hash:header:NAME|hash:cookie:NAME|hash:ip|hash:path",
                "--slow-start D", "(default round-robin)");
    }

    @Test
    void optionsSurviveTheTripThroughTheirArguments() {
        SeedOptions options = SeedOptions.parse("--runtime", "process", "--base-port", "24000",
                "--port", "24080", "--admin-port", "24081", "--scale-interval", "5s", "--max", "3",
                "--data-dir", "/tmp/seed", "--database", "jdbc:postgresql://db/acts", "--database-user", "ann",
                "--orphans", "die-with-parent", "--strategy", "least-request", "--slow-start", "10s");

        assertThat(SeedOptions.parse(options.toArgs().toArray(String[]::new))).isEqualTo(options);
    }

    @Test
    void theArgumentsNeverCarryTheDatabasePassword() {
        SeedOptions options = SeedOptions.parse("--database", "jdbc:postgresql://db/acts", "--database-password", "pw");

        assertThat(options.toArgs()).doesNotContain("pw", "--database-password");
        assertThat(options.toString()).doesNotContain("=pw");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "--colour red|unknown flag --colour",
        "--port|--port needs a value",
        "serve|unexpected argument 'serve'",
        "--port eighty|--port expects a whole number",
        "--port 70000|--port must be a port in 1..65535",
        "--runtime podman|--runtime must be auto, process, docker or kubernetes",
        "--runtime kubernetes|--runtime kubernetes needs --image",
        "--runtime kubernetes --image acts:1|--runtime kubernetes needs --database (or ACTS_DATABASE_URL)",
        "--runtime docker --namespace shop|--namespace applies to the kubernetes runtime only",
        "--runtime kubernetes --image acts:1 --namespace Shop_1|--namespace must be a Kubernetes namespace name",
        "--static-backends 127.0.0.1:9001 --namespace shop|--namespace makes no sense with --static-backends",
        "--runtime kubernetes --image a:1 --database jdbc:h2:tcp://db/a --orphans adopt|--orphans applies to the process runtime only",
        "--min 3 --max 2|--min (3) must not exceed --max (2)",
        "--max 0|--max must be at least 1",
        "--requests-per-replica 0|--requests-per-replica must be at least 1",
        "--scale-interval 2|--scale-interval expects a duration",
        "--scale-interval 16m|--scale-interval (16m) is also the window requests are counted over, which must not be longer than the 15m",
        "--port 8081|--port and --admin-port must differ",
        "--port 8003|overlap the gateway or admin port 8003",
        "--port 8012|replica ports 8000..8012 overlap the gateway or admin port 8012",
        "--base-port 65524|--base-port 65524 + --max 10 + a rollout's surge of 3 runs past port 65535",
        "--base-port 65530|runs past port 65535",
        "--runtime process --image acts|--image applies to the docker and kubernetes runtimes only",
        "--static-backends 127.0.0.1|--static-backends expects host:port",
        "--static-backends 127.0.0.1:9001 --runtime docker|--runtime makes no sense with --static-backends",
        "--port 1 --port 2|--port is given twice",
        "--database postgres://db/acts|--database: a database URL is a JDBC URL starting with jdbc:",
        "--database jdbc:h2:mem:acts|would give every replica a database of its own",
        "--database-user ann|--database-user needs --database (or ACTS_DATABASE_URL)",
        "--database-password pw|--database-password needs --database",
        "--data-dir=|--data-dir must not be blank",
        "--static-backends 127.0.0.1:9001 --data-dir d|--data-dir makes no sense with --static-backends",
        "--static-backends 127.0.0.1:9001 --min 2|--min makes no sense with --static-backends (the backends are not started, probed or scaled)",
        "--static-backends 127.0.0.1:9001 --max 3|--max makes no sense with --static-backends (the backends are not started, probed or scaled)",
        "--static-backends 127.0.0.1:9001 --rise 2|--rise makes no sense with --static-backends (the backends are not started, probed or scaled)",
        "--static-backends 127.0.0.1:9001 --fall 2|--fall makes no sense with --static-backends (the backends are not started, probed or scaled)",
        "--static-backends 127.0.0.1:9001 --health-interval 5s|--health-interval makes no sense with --static-backends (the backends are not started, probed or scaled)",
        "--static-backends 127.0.0.1:9001 --scale-interval 5s|--scale-interval makes no sense with --static-backends (the backends are not started, probed or scaled)",
        "--static-backends 127.0.0.1:9001 --requests-per-replica 9|--requests-per-replica makes no sense with --static-backends (the backends are not started, probed or scaled)",
        "--http2=true|--http2 takes no value",
        "--port 9000 --http2=false|--http2 takes no value",
        "--static-backends 127.0.0.1:9001 --database jdbc:h2:tcp://x/a|--database makes no sense with --static-backends",
        "--orphans never|--orphans must be adopt or die-with-parent",
        "--runtime docker --orphans adopt|--orphans applies to the process runtime only",
        "--static-backends 127.0.0.1:9001 --orphans adopt|--orphans makes no sense with --static-backends",
        "--strategy fastest|--strategy must be one of round-robin",
        "--strategy hash:query:q|--strategy hash:query:q: a hash key is header:NAME, cookie:NAME, ip or path",
        "--strategy hash:header:|--strategy hash:header:: header name must not be blank",
        "--slow-start 0|--slow-start expects a duration",
        "--slow-start 0s|--slow-start must be positive",
        "--slow-start 876001h|--slow-start must be at most 100 years (876000h)",
        "--health-interval 2562048h|--health-interval must be at most 100 years",
        "--strategy random --slow-start 10s|--slow-start needs --strategy round-robin or least-request",
        "--strategy hash:ip --slow-start 10s|--strategy hash:ip would ignore it",
        "--check|--check goes with --config FILE"
    })
    void aBadCommandLineIsAClearError(String args, String message) {
        assertThatThrownBy(() -> SeedOptions.parse(args.split(" ")))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining(message);
    }

    @Test
    void theGatewayFlagsAreReadAndGoBackIntoArgs() {
        SeedOptions options = SeedOptions.parse("--tls-port", "9443", "--tls-cert", "c.pem", "--tls-key=k.pem",
                "--access-log", "-", "--request-head-timeout", "5s", "--tunnel-idle-timeout", "10m", "--http2",
                "--static-backends", "127.0.0.1:9001");

        assertThat(options.gateway()).isEqualTo(new GatewayFlags(
                Optional.of(new GatewayFlags.TlsFlags(9443, Path.of("c.pem"), Path.of("k.pem"), Tls.Provider.AUTO)), Optional.of("-"),
                Duration.ofSeconds(5), Duration.ofMinutes(10), true));
        assertThat(SeedOptions.parse(options.toArgs().toArray(new String[0]))).isEqualTo(options);
        assertThat(SeedOptions.DEFAULTS.gateway().requestHeadTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(SeedOptions.DEFAULTS.gateway().http2()).isFalse();
        assertThat(SeedOptions.DEFAULTS.gateway().tunnelIdleTimeout()).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> SeedOptions.parse("--tunnel-idle-timeout", "0s"))
                .hasMessageContaining("--tunnel-idle-timeout must be positive");
        assertThat(SeedOptions.usage()).contains("--tls-port N", "--access-log FILE", "--request-head-timeout D",
                "--http2");
    }

    @Test
    void adminAllowedHostsAreReadCheckedAndGoBackIntoArgs() {
        SeedOptions options = SeedOptions.parse("--admin-allowed-hosts", "ops.internal, 10.0.0.5,[fd00::1]");

        assertThat(options.gateway().adminAllowedHosts()).containsExactly("ops.internal", "10.0.0.5", "[fd00::1]");
        assertThat(SeedOptions.parse(options.toArgs().toArray(new String[0]))).isEqualTo(options);
        assertThat(SeedOptions.DEFAULTS.gateway().adminAllowedHosts()).isEmpty();
        assertThat(SeedOptions.usage()).contains("--admin-allowed-hosts");
        for (String bad : new String[] {"ops:8081", "http://ops", "a,,b"}) {
            assertThatThrownBy(() -> SeedOptions.parse("--admin-allowed-hosts", bad)).as(bad)
                    .isInstanceOf(UsageException.class).hasMessageContaining("--admin-allowed-hosts expects name,name");
        }
    }

    @Test
    void http2TakesNoValueAndIsGivenOnce() {
        assertThat(SeedOptions.parse("--http2", "--port", "9000").gateway().http2()).isTrue();
        assertThat(SeedOptions.parse("--port", "9000", "--http2").gateway().http2()).isTrue();
        assertThatThrownBy(() -> SeedOptions.parse("--http2", "--http2"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--http2 is given twice");
    }

    @Test
    void tlsProviderIsReadGoesBackIntoArgsAndNeedsTheTlsFlags() {
        SeedOptions options = SeedOptions.parse("--tls-port", "9443", "--tls-cert", "c.pem", "--tls-key", "k.pem",
                "--tls-provider", "JDK");

        assertThat(options.gateway().tls().orElseThrow().provider()).isEqualTo(io.longshore.jetty.Tls.Provider.JDK);
        assertThat(SeedOptions.parse(options.toArgs().toArray(new String[0]))).isEqualTo(options);
        assertThat(SeedOptions.parse("--tls-port", "9443", "--tls-cert", "c.pem", "--tls-key", "k.pem")
                .gateway().tls().orElseThrow().provider()).isEqualTo(io.longshore.jetty.Tls.Provider.AUTO);
        assertThatThrownBy(() -> SeedOptions.parse("--tls-port", "9443", "--tls-cert", "c.pem", "--tls-key", "k.pem",
                "--tls-provider", "openssl")).isInstanceOf(UsageException.class)
                .hasMessageContaining("--tls-provider must be auto, jdk or conscrypt, was 'openssl'");
        assertThatThrownBy(() -> SeedOptions.parse("--tls-provider", "jdk")).isInstanceOf(UsageException.class)
                .hasMessageContaining("--tls-provider needs --tls-port");
        assertThat(SeedOptions.usage()).contains("--tls-provider P");
    }

    @Test
    void tlsFlagsGoTogetherOnAPortOfTheirOwn() {
        assertThatThrownBy(() -> SeedOptions.parse("--tls-port", "9443", "--tls-cert", "c.pem"))
                .isInstanceOf(UsageException.class).hasMessageContaining("go together").hasMessageContaining("--tls-key");
        assertThatThrownBy(() -> SeedOptions.parse("--tls-port", "8080", "--tls-cert", "c.pem", "--tls-key", "k.pem"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--tls-port must differ");
        assertThatThrownBy(() -> SeedOptions.parse("--tls-port", "8001", "--tls-cert", "c.pem", "--tls-key", "k.pem"))
                .isInstanceOf(UsageException.class).hasMessageContaining("overlap");
        assertThatThrownBy(() -> SeedOptions.parse("--request-head-timeout", "soon"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--request-head-timeout");
    }
}
