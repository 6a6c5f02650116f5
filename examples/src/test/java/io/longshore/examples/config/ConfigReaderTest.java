package io.longshore.examples.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longshore.api.ContainerSpec;
import io.longshore.api.ScalingPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConfigReaderTest {
    private final Placeholders placeholders = new Placeholders(Map.of("java", "/jdk/bin/java", "classpath", "seed.jar"),
            name -> name.equals("TOKEN") ? "s3cret" : null);
    private final ConfigReader reader = new ConfigReader(ConfigCatalog.builtIns(new SplittableRandom(1)), placeholders);

    private LongshoreConfig read(String yaml) {
        return reader.read("test.yaml", yaml);
    }

    private List<ConfigProblem> problems(String yaml) {
        try {
            read(yaml);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected problems in:\n" + yaml);
    }

    private static final String MINIMAL = """
            services:
              web:
                command: [serve]
            """;

    @Test
    void theExampleFileInTheRepositoryIsValidAndDescribesTheSeedScenario() throws Exception {
        LongshoreConfig config = reader.read(Path.of("longshore.yaml"));

        assertThat(config.gateway().port()).isEqualTo(8080);
        assertThat(config.admin().port()).isEqualTo(8081);
        assertThat(config.admin().token()).isEmpty();
        assertThat(config.dataDir()).isEqualTo(Path.of("longshore-data"));
        assertThat(config.database()).hasValueSatisfying(d -> assertThat(d.embedded()).isTrue());
        assertThat(config.orphans()).isEqualTo(io.longshore.core.OrphanPolicy.ADOPT);
        ServiceSettings acts = config.services().get(0);
        assertThat(acts.name()).isEqualTo("acts");
        assertThat(acts.prefix()).isEqualTo("/");
        assertThat(acts.workload().command()).startsWith("/jdk/bin/java").contains("seed.jar")
                .endsWith("io.longshore.examples.acts.ActsMain");
        assertThat(acts.replicas().basePort()).isEqualTo(8000);
        assertThat(acts.replicas().max()).isEqualTo(10);
        assertThat(acts.probe().type()).isEqualTo("http");
        assertThat(acts.probe().path()).isEqualTo("/api/v1/_health");
        assertThat(acts.probe().fall()).hasValue(1);
        assertThat(acts.strategy()).hasToString("round-robin");
        assertThat(acts.autoscaler().policy().map(ScalingPolicy::toString))
                .isEqualTo(Optional.of(ScalingPolicy.requestsPerReplica(20, Duration.ofMinutes(2)).toString()));
        assertThat(acts.autoscaler().interval()).hasValue(Duration.ofMinutes(2));
        assertThat(acts.timeouts().drain()).hasValue(Duration.ofSeconds(5));
        assertThat(acts.timeouts().stop()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aTokenNoHttpClientCouldSendIsAProblemAtItsKey() {
        assertThat(problems("""
                admin:
                  token: "p\u00e4ss"
                """ + MINIMAL)).singleElement().asString().contains("admin.token").contains("visible ASCII");
        assertThat(read("""
                admin:
                  token: "a-Z_0.9~+/=!"
                """ + MINIMAL).admin().token()).hasValue("a-Z_0.9~+/=!");
    }

    @Test
    void adminAllowedHostsAreReadAndABadNameIsAProblemAtItsKey() {
        LongshoreConfig config = read("""
                admin:
                  allowedHosts: [ops.internal, 10.0.0.5]
                """ + MINIMAL);

        assertThat(config.admin().allowedHosts()).containsExactly("ops.internal", "10.0.0.5");
        assertThat(read(MINIMAL).admin().allowedHosts()).isEmpty();
        assertThat(problems("""
                admin:
                  allowedHosts: [ops.internal:8081]
                """ + MINIMAL)).singleElement().asString()
                .contains("admin.allowedHosts").contains("without port or scheme").contains("ops.internal:8081");
    }

    @Test
    void aMinimalFileTakesTheLibrarysDefaults() {
        LongshoreConfig config = read(MINIMAL);

        assertThat(config.gateway().port()).isEqualTo(8080);
        assertThat(config.gateway().responseTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.admin().enabled()).isTrue();
        ServiceSettings web = config.services().get(0);
        assertThat(web.prefix()).isEqualTo("/");
        assertThat(web.probe().type()).isEqualTo("tcp");
        assertThat(web.probe().interval()).isEmpty();
        assertThat(web.autoscaler().policy().map(Object::toString)).hasValue("none");
        assertThat(web.timeouts().stop()).isEqualTo(ContainerSpec.DEFAULT_STOP_GRACE);
        assertThat(web.isContainer()).isFalse();
        assertThat(config.database()).isEmpty();
        assertThat(config.dataDir()).isEqualTo(Path.of("longshore-data"));
    }

    @Test
    void anExistingDatabaseIsHandedToEveryServiceUnderTheirOwnEnvironment() {
        LongshoreConfig config = read("""
                dataDir: /var/lib/longshore
                orphans: die-with-parent
                database:
                  url: jdbc:postgresql://127.0.0.1:5432/acts
                  user: acts
                  password: ${env:TOKEN}
                services:
                  web:
                    command: [serve]
                    env: {ACTS_DATABASE_USER: override}
                """);

        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/longshore"));
        assertThat(config.orphans()).isEqualTo(io.longshore.core.OrphanPolicy.DIE_WITH_PARENT);
        var existing = config.database().orElseThrow().existing().orElseThrow();
        assertThat(existing.url()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/acts");
        assertThat(existing.password()).isEqualTo("s3cret");
        ContainerSpec spec = config.services().get(0).spec(existing.environment());
        assertThat(spec.env()).containsEntry("ACTS_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/acts")
                .containsEntry("ACTS_DATABASE_PASSWORD", "s3cret").containsEntry("ACTS_DATABASE_USER", "override");
    }

    @Test
    void aDatabaseThatIsNeitherEmbeddedNorAJdbcUrlIsAProblem() {
        assertThat(problems("database: sqlite\n" + MINIMAL)).singleElement().hasToString(
                "test.yaml:1:11: database: expects 'embedded' or a mapping with url, user and password, was 'sqlite'");
        assertThat(problems("database: {url: postgres://db/acts}\n" + MINIMAL)).singleElement()
                .satisfies(p -> assertThat(p.message()).startsWith("a database URL is a JDBC URL"));
        assertThat(problems("database: {user: acts}\n" + MINIMAL)).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("needs its 'url'"));
    }

    @Test
    void withoutAnAutoscalerTheCountStaysWhereItIsSet() {
        ScalingPolicy none = read(MINIMAL).services().get(0).autoscaler().policy().orElseThrow();

        assertThat(none.decide(new io.longshore.api.ScalingContext(4, 4, 1, 10, java.time.Instant.EPOCH,
                Optional.empty(), Optional.empty(), (metric, window) -> 0))).isEqualTo(4);
    }

    @Test
    void placeholdersResolveAndAnUnsetVariableIsAProblemAtItsLine() {
        LongshoreConfig config = read("""
                admin:
                  token: ${env:TOKEN}
                services:
                  web:
                    command: ["${java}", -cp, "${classpath}", Main, "$$HOME"]
                """);
        assertThat(config.admin().token()).hasValue("s3cret");
        assertThat(config.services().get(0).workload().command())
                .containsExactly("/jdk/bin/java", "-cp", "seed.jar", "Main", "$HOME");

        assertThat(problems("""
                admin:
                  token: ${env:UNSET}
                services:
                  web:
                    command: ["${jdk}"]
                """)).extracting(ConfigProblem::line, ConfigProblem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2, "environment variable UNSET is not set"),
                org.assertj.core.groups.Tuple.tuple(5, "unknown placeholder ${jdk}; known: ${java}, ${classpath}, ${env:NAME}"));
    }

    @Test
    void aPlaceholderWithoutItsClosingBraceIsAProblemNotLiteralText() {
        assertThat(problems("""
                admin:
                  token: ${env:TOKEN
                services:
                  web:
                    command: [serve, "--home=${java"]
                """)).extracting(ConfigProblem::line, ConfigProblem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2, "a placeholder '${' has no closing '}'; write $${ for a literal ${"),
                org.assertj.core.groups.Tuple.tuple(5, "a placeholder '${' has no closing '}'; write $${ for a literal ${"));
        assertThat(read(service("env: {PRICE: \"$${5\", SIGN: \"$5\"}")).services().get(0).workload().env())
                .containsEntry("PRICE", "${5").containsEntry("SIGN", "$5");
    }

    @Test
    void anUnknownKeyIsNamedWithItsLineAndTheKnownKeys() {
        List<ConfigProblem> problems = problems("""
                services:
                  web:
                    command: [serve]
                    replicas:
                      min: 1
                      maximum: 4
                """);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(6);
            assertThat(p.column()).isEqualTo(7);
            assertThat(p.key()).isEqualTo("services.web.replicas.maximum");
            assertThat(p.message()).startsWith("unknown key; known here: min, max, initial, basePort");
            assertThat(p.toString()).startsWith("test.yaml:6:7: services.web.replicas.maximum: unknown key");
        });
    }

    @Test
    void aBadDurationIsNamedWithItsLine() {
        List<ConfigProblem> problems = problems("""
                services:
                  web:
                    command: [serve]
                    timeouts:
                      drain: 5 seconds
                """);

        assertThat(problems).singleElement().hasToString(
                "test.yaml:5:14: services.web.timeouts.drain: expects a duration such as 500ms, 10s, 2m or 1h, was '5 seconds'");
    }

    @Test
    void aPortUsedTwiceIsNamedAtTheSecondUseWithTheLineOfTheFirst() {
        List<ConfigProblem> problems = problems("""
                gateway:
                  port: 9000
                admin:
                  port: 8081
                services:
                  web:
                    command: [serve]
                    replicas: {basePort: 8995, max: 10}
                """);

        assertThat(problems).singleElement().hasToString("test.yaml:8:26: services.web.replicas.basePort:"
                + " ports 8995..9007 (10 replicas and a rollout's surge of 3) overlap those of gateway.port"
                + " (port 9000, line 2): a port is used twice");
    }

    @Test
    void theSurgePortsARolloutAtMaxTakesBeyondTheRangeMayNotBeAnotherServices() {
        List<ConfigProblem> problems = problems("""
                services:
                  web:
                    command: [serve]
                    replicas: {basePort: 7000, max: 4}
                  api:
                    prefix: /api
                    command: [serve]
                    replicas: {basePort: 7004, max: 2}
                """);

        assertThat(problems).singleElement().hasToString("test.yaml:8:26: services.api.replicas.basePort:"
                + " ports 7004..7006 (2 replicas and a rollout's surge of 1) overlap those of services.web.replicas"
                + " (ports 7000..7004 (4 replicas and a rollout's surge of 1), line 4): a port is used twice");
        assertThat(read(service("replicas: {basePort: 7000, max: 4}") + """
                  api:
                    prefix: /api
                    command: [serve]
                    replicas: {basePort: 7005, max: 2}
                """).services()).hasSize(2);
        assertThat(problems(service("replicas: {basePort: 65530, max: 5}"))).singleElement().asString()
                .contains("services.web.replicas.basePort: basePort 65530 + max 5 + a rollout's surge of 2 runs past"
                        + " port 65535");
    }

    @Test
    void theAdminPortOnTheGatewayPortAndTwoServicesOnOnePrefixAreProblems() {
        List<ConfigProblem> problems = problems("""
                gateway: {port: 9000}
                admin: {port: 9000}
                services:
                  a: {command: [a], replicas: {basePort: 7000}}
                  b: {command: [b], replicas: {basePort: 7100}}
                """);

        assertThat(problems).extracting(ConfigProblem::toString).containsExactly(
                "test.yaml:2:15: admin.port: port 9000 is also used by gateway.port (port 9000, line 1): a port is used twice",
                "test.yaml:5:3: services.b: prefix / is already routed to services.a (line 4)");
    }

    @Test
    void everyProblemOfAFileIsReportedInFileOrder() {
        List<ConfigProblem> problems = problems("""
                gateway:
                  port: 70000
                services:
                  web:
                    image: nginx
                    command: [serve]
                    probe: {type: http}
                    strategy: fastest
                    autoscaler: {type: fixed}
                    replicas: {min: 5, max: 2}
                  "bad name!":
                    command: [x]
                    prefix: /b
                    replicas: {basePort: 7000}
                extra: 1
                """);

        assertThat(problems).extracting(ConfigProblem::line).containsExactly(2, 4, 7, 8, 9, 10, 11, 15);
        assertThat(problems.get(0).message()).isEqualTo("must be in 1..65535, was 70000");
        assertThat(problems.get(1).message()).isEqualTo("give 'command' or 'image', not both");
        assertThat(problems.get(2).message()).contains("needs a 'path'");
        assertThat(problems.get(3).message()).isEqualTo("unknown strategy 'fastest'; known: round-robin, random,"
                + " least-in-flight, power-of-two-choices, least-request, p2c, peak-ewma, hash:header:NAME,"
                + " hash:cookie:NAME, hash:ip, hash:path");
        assertThat(problems.get(4).message()).isEqualTo("the fixed autoscaler needs 'replicas'");
        assertThat(problems.get(5).message()).isEqualTo("min (5) must not exceed max (2)");
        assertThat(problems.get(6).message()).startsWith("a service name is");
        assertThat(problems.get(7).key()).isEqualTo("extra");
    }

    @Test
    void invalidYamlIsAProblemWithItsLine() {
        List<ConfigProblem> problems = problems("""
                services:
                  web:
                    command: [serve
                    replicas: 3
                """);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isBetween(3, 5);
            assertThat(p.message()).startsWith("not valid YAML");
        });
    }

    @Test
    void aKeyGivenTwiceAnEmptyFileAndNoServicesAreProblems() {
        assertThat(problems("services:\n  web:\n    command: [a]\n    command: [b]\n"))
                .singleElement().hasToString("test.yaml:4:5: services.web.command: is given twice");
        assertThat(problems("")).singleElement().satisfies(p -> assertThat(p.message()).contains("empty"));
        assertThat(problems("gateway: {port: 9000}\n")).singleElement()
                .satisfies(p -> assertThat(p.message()).startsWith("needs 'services'"));
        assertThat(problems("services: [web]\n")).singleElement()
                .satisfies(p -> assertThat(p.message()).isEqualTo("expects a mapping of keys to values"));
    }

    @Test
    void aGlobalTagIsRefusedSoNoObjectIsEverBuiltFromTheFile() {
        List<ConfigProblem> problems = problems("""
                services:
                  web:
                    command: !!javax.script.ScriptEngineManager [x]
                """);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.message()).startsWith("not valid YAML").contains("tag");
        });
    }

    @Test
    void aLocalTagChangesNothingAValueIsStillCheckedAsText() {
        assertThat(problems("services:\n  web:\n    command: [x]\n    replicas: {max: !!int nope}\n"))
                .singleElement().hasToString("test.yaml:4:21: services.web.replicas.max: expects a whole number, was 'nope'");
    }

    @Test
    void imagesRulesAndStrategiesMapOntoTheBuilders() {
        LongshoreConfig config = read("""
                services:
                  api:
                    prefix: /api/
                    image: example/api:1
                    pull: never
                    env: {MODE: fast}
                    memory: 256m
                    cpus: 0.5
                    replicas: {basePort: 9100, max: 4, initial: 2}
                    probe: {type: tcp, timeout: 300ms, startGrace: 0s}
                    strategy: {type: power-of-two-choices}
                    autoscaler:
                      type: rules
                      interval: 15s
                      rules:
                        - {metric: request-rate, window: 1m, threshold: 50, action: scale-out, factor: 2, cooldown: 30s}
                        - {metric: in-flight, window: 1m, threshold: 1, action: scale-in}
                """);

        ServiceSettings api = config.services().get(0);
        assertThat(api.prefix()).isEqualTo("/api");
        assertThat(api.isContainer()).isTrue();
        ContainerSpec spec = api.spec(Map.of());
        assertThat(spec.image()).isEqualTo("example/api:1");
        assertThat(spec.pullPolicy()).isEqualTo(ContainerSpec.PullPolicy.NEVER);
        assertThat(spec.network()).isEqualTo(ContainerSpec.NetworkMode.HOST);
        assertThat(spec.env()).containsEntry("MODE", "fast");
        assertThat(spec.memoryBytes()).isEqualTo(256L << 20);
        assertThat(spec.cpus()).isEqualTo(0.5);
        assertThat(api.replicas().initial()).hasValue(2);
        assertThat(api.probe().type()).isEqualTo("tcp");
        assertThat(api.probe().startGrace()).hasValue(Duration.ZERO);
        assertThat(api.strategy().toString()).contains("power-of-two");
        assertThat(api.autoscaler().type()).isEqualTo("rules");
        assertThat(api.autoscaler().interval()).hasValue(Duration.ofSeconds(15));
        assertThat(api.autoscaler().policy()).isPresent();
        assertThat(api.applyTo(io.longshore.core.Orchestrator.builder()).service(spec)
                .runtime(new io.longshore.testkit.FakeContainerRuntime()).build()).isNotNull();
    }

    @Test
    void aStrategyOrAutoscalerRegisteredInTheCatalogCanBeNamedWithItsOwnKeys() {
        ConfigCatalog catalog = ConfigCatalog.builtIns(new SplittableRandom(1))
                .strategy("first", settings -> {
                    settings.integer("weight", 1, 1, 10);
                    return io.longshore.api.LoadBalancingStrategy.leastInFlight();
                })
                .autoscaler("double", (settings, interval) -> Optional.of(ScalingPolicy.fixed(
                        2 * settings.integer("of", 1, 1, 100))));
        ConfigReader custom = new ConfigReader(catalog, placeholders);

        LongshoreConfig config = custom.read("custom.yaml", """
                services:
                  web:
                    command: [serve]
                    strategy: {type: first, weight: 3}
                    autoscaler: {type: double, of: 2}
                """);

        assertThat(config.services().get(0).autoscaler().policy().orElseThrow().toString())
                .isEqualTo(ScalingPolicy.fixed(4).toString());
        assertThatThrownBy(() -> custom.read("custom.yaml", """
                services:
                  web:
                    command: [serve]
                    strategy: {type: first, wieght: 3}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("custom.yaml:4:29: services.web.strategy.wieght: unknown key");
    }

    private static String service(String keys) {
        return "services:\n  web:\n    command: [serve]\n" + keys.indent(4);
    }

    @Test
    void theSeedMainsStrategyNamesIncludingEveryHashKeyAreAccepted() {
        for (String name : List.of("least-request", "p2c", "peak-ewma", "hash:header:X-User", "hash:cookie:session",
                "hash:ip", "hash:path")) {
            String picked = read(service("strategy: " + name)).services().get(0).strategy().toString();
            assertThat(picked).as(name).isEqualTo(name.equals("p2c") ? "power-of-two-choices" : name);
        }
        assertThat(read(service("strategy: {type: hash:ip}")).services().get(0).strategy()).hasToString("hash:ip");
    }

    @Test
    void aMisspeltStrategyOrHashKeyIsAProblemThatListsTheNames() {
        assertThat(problems(service("strategy: p3c"))).singleElement().hasToString("test.yaml:4:15:"
                + " services.web.strategy: unknown strategy 'p3c'; known: round-robin, random, least-in-flight,"
                + " power-of-two-choices, least-request, p2c, peak-ewma, hash:header:NAME, hash:cookie:NAME, hash:ip,"
                + " hash:path");
        assertThat(problems(service("strategy: \"hash:header:\""))).singleElement().satisfies(p -> assertThat(p.toString())
                .startsWith("test.yaml:4:15: services.web.strategy: strategy hash:header:: "));
        assertThat(problems(service("strategy: hash:query:id"))).singleElement().satisfies(p ->
                assertThat(p.toString()).startsWith("test.yaml:4:15: services.web.strategy: strategy hash:query:id: "));
    }

    @Test
    void weightGoesIntoTheSpecAndSlowStartOntoTheBuilder() {
        ServiceSettings web = read(service("weight: 3\nslowStart: 30s")).services().get(0);

        assertThat(web.spec(Map.of()).weight()).isEqualTo(3);
        assertThat(web.balancing().slowStart()).hasValue(Duration.ofSeconds(30));
        assertThat(web.applyTo(io.longshore.core.Orchestrator.builder()).service(web.spec(Map.of()))
                .runtime(new io.longshore.testkit.FakeContainerRuntime()).build()).isNotNull();
        ServiceSettings plain = read(MINIMAL).services().get(0);
        assertThat(plain.spec(Map.of()).weight()).isEqualTo(ContainerSpec.DEFAULT_WEIGHT);
        assertThat(plain.balancing().slowStart()).isEmpty();
    }

    @Test
    void aWeightOutOfRangeOrABadSlowStartIsAProblemAtItsLine() {
        assertThat(problems(service("weight: 0"))).singleElement().hasToString(
                "test.yaml:4:13: services.web.weight: must be in 1..1000, was 0");
        assertThat(problems(service("weight: 1001"))).singleElement().hasToString(
                "test.yaml:4:13: services.web.weight: must be in 1..1000, was 1001");
        assertThat(problems(service("slowStart: soon"))).singleElement().hasToString("test.yaml:4:16:"
                + " services.web.slowStart: expects a duration such as 500ms, 10s, 2m or 1h, was 'soon'");
    }

    @Test
    void whatNoRuntimeCouldStartIsAProblemAtItsLine() {
        assertThat(problems(service("env: {\"A=B\": x}"))).singleElement().hasToString("test.yaml:4:18:"
                + " services.web.env.A=B: is not a usable environment variable name: it must not be empty or"
                + " contain '=' or NUL");
        assertThat(problems("services:\n  web:\n    command: [\"\", serve]\n")).singleElement().hasToString(
                "test.yaml:3:15: services.web.command[0]: the program to run must not be blank");
        assertThat(problems(service("probe: {interval: 876001h}"))).singleElement().asString()
                .contains("services.web.probe.interval: must be at most 100 years (876000h), was '876001h'");
        assertThat(read(service("probe: {interval: 876000h}")).services()).hasSize(1);
    }

    @Test
    void aSizeTooLargeForEightBytesIsAProblemAtItsLineNotAWrappedAroundNumber() {
        assertThat(problems("gateway: {maxRequestBody: 8589934592g}\n" + MINIMAL)).singleElement().hasToString(
                "test.yaml:1:27: gateway.maxRequestBody: is too large: at most 8589934591g,"
                        + " was '8589934592g'");
        assertThat(problems(service("memory: 17179869185g"))).singleElement().asString()
                .contains("services.web.memory: is too large");
        assertThat(read("gateway: {maxRequestBody: 8589934591g}\n" + MINIMAL).gateway().maxRequestBodyBytes())
                .isEqualTo(8589934591L << 30);
        assertThat(read("gateway: {maxRequestBody: 999999999999}\n" + MINIMAL).gateway().maxRequestBodyBytes())
                .isEqualTo(999_999_999_999L);
    }

    @Test
    void aWindowLongerThanTheFifteenMinutesTheGatewayMeasuresIsAProblemNotSilentlyCut() {
        assertThat(problems(service("autoscaler: {type: requests-per-replica, interval: 1h}"))).singleElement()
                .hasToString("test.yaml:4:56: services.web.autoscaler.interval: a window of 1h is longer than the 15m"
                        + " the gateway measures load over (the window is the interval unless 'window' is set)");
        assertThat(problems(service("autoscaler: {type: requests-per-replica, window: 20m}"))).singleElement()
                .asString().contains("services.web.autoscaler.window: a window of 20m is longer than the 15m");
        assertThat(problems(service("autoscaler: {type: rules, rules: [{metric: request-rate, window: 16m,"
                + " threshold: 1, action: scale-in}]}"))).singleElement().asString()
                .contains("services.web.autoscaler.rules[0].window: a window of 16m is longer than the 15m");
        assertThat(problems(service("replicas: {min: 0}\nautoscaler: {type: target, stableWindow: 30m}")))
                .singleElement().asString()
                .contains("services.web.autoscaler.stableWindow: a window of 30m is longer than the 15m");
        assertThat(read(service("autoscaler: {type: requests-per-replica, interval: 1h, window: 15m}")).services())
                .singleElement().satisfies(web -> assertThat(web.autoscaler().interval()).hasValue(Duration.ofHours(1)));
    }

    @Test
    void aBlankHostIsAProblemAtCheckTimeNotAFailedStart() {
        assertThat(problems("gateway: {host: \"\"}\nadmin: {host: \" \"}\n" + MINIMAL))
                .extracting(ConfigProblem::toString).containsExactly(
                        "test.yaml:1:17: gateway.host: must not be blank",
                        "test.yaml:2:15: admin.host: must not be blank");
    }

    @Test
    void aServiceThatScalesToZeroByItselfNeedsTheWaitingLineThatBringsItBack() {
        String zero = """
                services:
                  web:
                    command: [serve]
                    replicas: {min: 0, max: 4}
                    autoscaler: {type: target, idle: 5m}
                """;

        assertThat(problems("gateway: {maxWaiting: 0}\n" + zero)).singleElement().hasToString(
                "test.yaml:5:21: services.web.replicas.min: 0 with the target autoscaler needs the gateway's waiting"
                        + " line, but gateway.maxWaiting is 0: at zero replicas a request gets 503 at once and nothing"
                        + " brings a replica back");
        assertThat(problems("gateway: {maxWaiting: 0}\n" + service("replicas: {min: 0}\nautoscaler: {type: rules,"
                + " rules: [{metric: request-rate, window: 1m, threshold: 1, action: scale-in}]}")))
                .singleElement().asString().contains("services.web.replicas.min: 0 with the rules autoscaler");
        assertThat(read("gateway: {maxWaiting: 1}\n" + zero).services()).hasSize(1);
        assertThat(read("gateway: {maxWaiting: 0}\n" + service("replicas: {min: 0}\nautoscaler: none")).services())
                .as("nothing but a request by hand scales it to zero").hasSize(1);
    }

    @Test
    void theTargetAutoscalerTracksConcurrencyDecidesEveryTickAndLimitsEachReplica() {
        ServiceSettings web = read(service("""
                replicas: {min: 0, max: 5}
                autoscaler:
                  type: target
                  targetConcurrency: 4
                  tick: 1s
                  stableWindow: 30s
                  burstWindow: 3s
                  idle: 2m
                  containerConcurrency: 8
                """)).services().get(0);

        assertThat(web.autoscaler().type()).isEqualTo("target");
        assertThat(web.autoscaler().policy().orElseThrow()).hasToString("target-tracking(concurrency 4 per replica)");
        assertThat(web.autoscaler().interval()).hasValue(Duration.ofSeconds(1));
        assertThat(web.autoscaler().containerConcurrency()).hasValue(8);
        assertThat(web.applyTo(io.longshore.core.Orchestrator.builder()).service(web.spec(Map.of()))
                .runtime(new io.longshore.testkit.FakeContainerRuntime()).build()).isNotNull();
        ServiceSettings defaults = read(service("autoscaler: target")).services().get(0);
        assertThat(defaults.autoscaler().interval()).hasValue(io.longshore.api.TargetTracking.DEFAULT_TICK);
        assertThat(defaults.autoscaler().containerConcurrency()).hasValue(0);
    }

    @Test
    void badTargetSettingsAreProblemsEachAtItsLine() {
        assertThat(problems(service("""
                autoscaler:
                  type: target
                  targetConcurrency: 0
                  tick: 0s
                  idle: 1m
                  containerConcurrency: -1
                  interval: 5s
                """))).extracting(ConfigProblem::toString).containsExactly(
                "test.yaml:6:26: services.web.autoscaler.targetConcurrency: must be in 1..2147483647, was 0",
                "test.yaml:7:13: services.web.autoscaler.tick: must be longer than zero, was '0s'",
                "test.yaml:8:13: services.web.autoscaler.idle: scales to zero and needs replicas.min: 0, but min is 1",
                "test.yaml:9:29: services.web.autoscaler.containerConcurrency: must be in 0..100000, was -1",
                "test.yaml:10:17: services.web.autoscaler.interval: target tracking decides every 'tick'; set that"
                        + " instead of 'interval'");
        assertThat(problems(service("""
                autoscaler: {type: target, stableWindow: 10s, burstWindow: 20s}
                """))).singleElement().hasToString("test.yaml:4:64: services.web.autoscaler.burstWindow:"
                + " (20s) must not be longer than stableWindow (10s)");
    }

    @Test
    void theGatewayTakesTheAccessLogTheRequestHeadTimeoutAndTheWaitingLine() {
        LongshoreConfig config = read("""
                gateway:
                  accessLog: {file: "-", format: json}
                  requestHeadTimeout: 5s
                  tunnelIdleTimeout: 5m
                  maxWaiting: 50
                  maxWait: 10s
                  http2: true
                """ + MINIMAL);

        LongshoreConfig.Protocols protocols = config.gateway().protocols();
        assertThat(protocols.http2()).isTrue();
        assertThat(protocols.accessLog()).hasValue("-");
        assertThat(protocols.accessLogFormat()).isEqualTo(io.longshore.jetty.AccessLog.Format.JSON);
        assertThat(protocols.requestHeadTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(protocols.tunnelIdleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(protocols.maxWaiting()).isEqualTo(50);
        assertThat(protocols.maxWait()).isEqualTo(Duration.ofSeconds(10));
        assertThat(protocols.tls()).isEmpty();
        assertThat(read("gateway:\n  accessLog: access.log\n" + MINIMAL).gateway().protocols())
                .satisfies(p -> assertThat(p.accessLog()).hasValue("access.log"))
                .satisfies(p -> assertThat(p.accessLogFormat()).isEqualTo(io.longshore.jetty.AccessLog.Format.COMBINED));
        LongshoreConfig.Protocols defaults = read(MINIMAL).gateway().protocols();
        assertThat(defaults.accessLog()).isEmpty();
        assertThat(defaults.requestHeadTimeout()).isEqualTo(io.longshore.jetty.Gateway.DEFAULT_REQUEST_HEAD_TIMEOUT);
        assertThat(defaults.tunnelIdleTimeout()).isEqualTo(io.longshore.jetty.Gateway.DEFAULT_TUNNEL_IDLE_TIMEOUT);
        assertThat(defaults.maxWaiting()).isEqualTo(io.longshore.jetty.Gateway.DEFAULT_MAX_WAITING);
        assertThat(defaults.http2()).isFalse();
    }

    @Test
    void badAccessLogHeadTimeoutAndWaitingLineValuesAreProblems() {
        assertThat(problems("""
                gateway:
                  accessLog: {format: xml}
                  requestHeadTimeout: 0s
                  maxWaiting: -1
                  maxWait: forever
                  http2: yes
                """ + MINIMAL)).extracting(ConfigProblem::toString).containsExactly(
                "test.yaml:2:3: gateway.accessLog: the access log needs 'file', a path or '-' for standard output",
                "test.yaml:2:23: gateway.accessLog.format: must be one of combined, json, was 'xml'",
                "test.yaml:3:23: gateway.requestHeadTimeout: must be longer than zero, was '0s'",
                "test.yaml:4:15: gateway.maxWaiting: must be in 0..1000000, was -1",
                "test.yaml:5:12: gateway.maxWait: expects a duration such as 500ms, 10s, 2m or 1h, was 'forever'",
                "test.yaml:6:10: gateway.http2: must be one of true, false, was 'yes'");
    }

    @Test
    void tlsTakesItsPortAndReadablePemFiles(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path cert = java.nio.file.Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----");
        Path key = java.nio.file.Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----");

        LongshoreConfig config = read("gateway:\n  tls: {port: 9443, cert: " + cert + ", key: " + key + "}\n" + MINIMAL);

        assertThat(config.gateway().protocols().tls()).hasValue(
                new io.longshore.examples.seed.GatewayFlags.TlsFlags(9443, cert, key,
                        io.longshore.jetty.Tls.Provider.AUTO));
        assertThat(read("gateway:\n  tls: {port: 9443, cert: " + cert + ", key: " + key + ", provider: jdk}\n" + MINIMAL)
                .gateway().protocols().tls().orElseThrow().provider()).isEqualTo(io.longshore.jetty.Tls.Provider.JDK);
        io.longshore.jetty.Tls listener = read("gateway:\n  tls: {port: 9443, cert: " + cert + ", key: " + key
                + ", provider: jdk}\n" + MINIMAL).gateway().protocols().tls().orElseThrow().toTls();
        assertThat(listener.provider()).as("what the gateway is built with").isEqualTo(io.longshore.jetty.Tls.Provider.JDK);
        assertThat(listener.port()).isEqualTo(9443);
        assertThat(problems("gateway:\n  tls: {port: 9443, cert: " + cert + ", key: " + key + ", provider: openssl}\n"
                + MINIMAL)).extracting(ConfigProblem::toString).singleElement().asString()
                .contains("gateway.tls.provider: must be one of auto, jdk, conscrypt, was 'openssl'");
    }

    @Test
    void tlsWithoutItsFilesOrOnAPortInUseIsAProblem(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path cert = java.nio.file.Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----");
        assertThat(problems("""
                gateway:
                  port: 8080
                  tls: {port: 8080, cert: %s}
                """.formatted(cert) + MINIMAL)).extracting(ConfigProblem::toString).containsExactly(
                "test.yaml:3:3: gateway.tls: TLS needs 'key', the private key (PEM)",
                "test.yaml:3:15: gateway.tls.port: port 8080 is also used by gateway.port (port 8080, line 2):"
                        + " a port is used twice");
        assertThat(problems("""
                gateway:
                  tls: {port: 8081, cert: %s, key: %s}
                """.formatted(cert, dir.resolve("missing.pem")) + MINIMAL)).extracting(ConfigProblem::toString)
                .anySatisfy(p -> assertThat(p).startsWith("test.yaml:2:").contains("gateway.tls.key: no readable file"))
                .anySatisfy(p -> assertThat(p).contains("admin: port 8081 is also used by gateway.tls.port"));
    }
}
