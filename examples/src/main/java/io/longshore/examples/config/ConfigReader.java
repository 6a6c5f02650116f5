package io.longshore.examples.config;

import io.longshore.core.OrphanPolicy;
import io.longshore.core.ProcessRuntime;
import io.longshore.examples.acts.DatabaseSettings;
import io.longshore.examples.config.LongshoreConfig.AdminSettings;
import io.longshore.examples.config.LongshoreConfig.Database;
import io.longshore.examples.config.LongshoreConfig.GatewaySettings;
import io.longshore.jetty.Gateway;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a config file into a {@link LongshoreConfig}: parses the YAML (SnakeYAML, node tree
 * only: no objects are built from tags), checks every key and value, and throws one
 * {@link ConfigException} listing every problem with its line, column and key. Top-level keys:
 * {@code dataDir}, {@code orphans}, {@code database}, {@code gateway}, {@code admin},
 * {@code services}; the gateway's TLS, access log, request-head timeout and waiting line are
 * read by {@link GatewayProtocols}, the services' own keys by {@link ServiceReader}. Thread-safe; each
 * read is independent.
 */
public final class ConfigReader {
    /** Longest file accepted. */
    static final int MAX_CODE_POINTS = 1024 * 1024;
    /** The data directory when the file names none: the seed main's default. */
    static final Path DEFAULT_DATA_DIR = Path.of("longshore-data");

    private final ConfigCatalog catalog;
    private final Placeholders placeholders;

    public ConfigReader(ConfigCatalog catalog, Placeholders placeholders) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.placeholders = Objects.requireNonNull(placeholders, "placeholders");
    }

    /** The built-in strategies and autoscalers, and this JVM's placeholders. */
    public static ConfigReader withBuiltIns() {
        return new ConfigReader(ConfigCatalog.builtIns(ThreadLocalRandom.current()), Placeholders.ofThisJvm());
    }

    /** Reads {@code file}; problems name it as given. */
    public LongshoreConfig read(Path file) throws IOException {
        return read(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Reads {@code text}; problems name {@code fileName}. */
    public LongshoreConfig read(String fileName, String text) {
        ConfigProblems problems = new ConfigProblems(fileName, placeholders);
        Node document = parse(text, problems);
        problems.throwIfAny();
        ConfigNode root = new ConfigNode(document, "", problems);
        if (!root.requireMapping()) {
            problems.throwIfAny();
        }
        PortClaims ports = new PortClaims();
        Path dataDir = Path.of(root.string("dataDir", DEFAULT_DATA_DIR.toString()));
        OrphanPolicy orphans = OrphanPolicy.valueOf(root.choice("orphans",
                ProcessRuntime.DEFAULT_ORPHANS.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                List.of("adopt", "die-with-parent")).replace('-', '_').toUpperCase(Locale.ROOT));
        Optional<Database> database = root.child("database").flatMap(ConfigReader::database);
        GatewaySettings gateway = gateway(root.section("gateway"), ports);
        AdminSettings admin = admin(root.section("admin"), ports);
        List<ServiceSettings> services = new ArrayList<>();
        if (!root.has("services")) {
            root.problem("needs 'services', a mapping of service names to their settings");
        }
        ServiceReader reader = new ServiceReader(catalog, ports, gateway.protocols().maxWaiting());
        root.section("services").children().forEach((name, node) -> reader.read(name, node).ifPresent(services::add));
        root.rejectUnknown();
        ports.check();
        problems.throwIfAny();
        return new LongshoreConfig(dataDir, orphans, database, gateway, admin, services);
    }

    private static Node parse(String text, ConfigProblems problems) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(50);
        try {
            Iterator<Node> documents = new Yaml(options).composeAll(new StringReader(text)).iterator();
            if (!documents.hasNext()) {
                problems.add((Mark) null, "", "the file is empty; it needs at least 'services'");
                return null;
            }
            Node first = documents.next();
            if (documents.hasNext()) {
                problems.add(documents.next(), "", "holds more than one YAML document; put everything in one");
            }
            return first;
        } catch (MarkedYAMLException e) {
            problems.add(e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark(), "",
                    "not valid YAML: " + e.getProblem() + (e.getContext() == null ? "" : " (" + e.getContext() + ")"));
        } catch (YAMLException e) {
            problems.add((Mark) null, "", "not valid YAML: " + e.getMessage());
        }
        return null;
    }

    private static GatewaySettings gateway(ConfigNode node, PortClaims ports) {
        int port = port(node, "port", Gateway.DEFAULT_PORT, "gateway.port", ports);
        GatewaySettings settings = new GatewaySettings(
                host(node),
                port,
                node.integer("ioThreads", Gateway.DEFAULT_IO_THREADS, 0, 1024),
                node.duration("responseTimeout", Gateway.DEFAULT_RESPONSE_TIMEOUT, false),
                node.duration("connectTimeout", Gateway.DEFAULT_CONNECT_TIMEOUT, false),
                node.duration("clientIdleTimeout", Gateway.DEFAULT_CLIENT_IDLE_TIMEOUT, false),
                node.duration("shutdownTimeout", Gateway.DEFAULT_SHUTDOWN_TIMEOUT, true),
                node.integer("maxConcurrentRequests", Gateway.DEFAULT_MAX_CONCURRENT_REQUESTS, 1, Integer.MAX_VALUE),
                node.bytes("maxRequestBody", Gateway.DEFAULT_MAX_REQUEST_BODY_BYTES),
                node.number("retryBudget", Gateway.DEFAULT_RETRY_BUDGET, 0, 1),
                GatewayProtocols.read(node, ports));
        node.rejectUnknown();
        return settings;
    }

    private static AdminSettings admin(ConfigNode node, PortClaims ports) {
        boolean enabled = node.bool("enabled", true);
        int port = enabled ? port(node, "port", Gateway.DEFAULT_ADMIN_PORT, "admin.port", ports)
                : node.integer("port", Gateway.DEFAULT_ADMIN_PORT, 1, 65_535);
        String host = host(node);
        var token = node.string("token");
        token.filter(String::isBlank).ifPresent(blank -> node.child("token").ifPresent(t -> t.problem("must not be blank")));
        token.filter(t -> !t.isBlank()).ifPresent(t -> {
            try {
                Gateway.builder().bearerToken(t); // the gateway's own rule, reported at the key
            } catch (IllegalArgumentException e) {
                node.child("token").ifPresent(key -> key.problem("must be visible ASCII characters ('!' to '~'; no"
                        + " space, control or non-ASCII character): no HTTP client could send another"));
            }
        });
        List<String> allowedHosts = new ArrayList<>();
        for (String name : node.strings("allowedHosts")) {
            try {
                Gateway.builder().adminAllowedHosts(name); // the gateway's own rule, reported at the key
                allowedHosts.add(name.trim());
            } catch (IllegalArgumentException e) {
                node.child("allowedHosts").ifPresent(list -> list.problem("expects host names or IP addresses"
                        + " without port or scheme, was '" + name + "'"));
            }
        }
        node.rejectUnknown();
        return new AdminSettings(enabled, host, port, token.filter(t -> !t.isBlank()), allowedHosts);
    }

    /** The bind address under {@code host}; a blank one is a problem (no listener could bind it). */
    private static String host(ConfigNode node) {
        String host = node.string("host", Gateway.DEFAULT_HOST);
        if (host.isBlank()) {
            node.child("host").ifPresent(key -> key.problem("must not be blank"));
            return Gateway.DEFAULT_HOST;
        }
        return host.trim();
    }

    /** {@code database: embedded}, or {@code database: {url, user, password}} for an existing one. */
    private static Optional<Database> database(ConfigNode node) {
        if (node.isScalar()) {
            String kind = node.text();
            if (!"embedded".equals(kind)) {
                node.problem("expects 'embedded' or a mapping with url, user and password, was '" + kind + "'");
                return Optional.empty();
            }
            return Optional.of(new Database(Optional.empty()));
        }
        if (!node.requireMapping()) {
            return Optional.empty();
        }
        if (!node.has("url")) {
            node.problem("an existing database needs its 'url' (jdbc:…)");
        }
        String url = node.string("url", "");
        String user = node.string("user", "");
        String password = node.string("password", "");
        node.rejectUnknown();
        try {
            return url.isEmpty() ? Optional.empty()
                    : Optional.of(new Database(Optional.of(new DatabaseSettings(url, user, password))));
        } catch (IllegalArgumentException e) {
            node.child("url").orElse(node).problem(e.getMessage());
            return Optional.empty();
        }
    }

    /** A port (1..65535) that only {@code key} may use. */
    static int port(ConfigNode node, String key, int fallback, String claim, PortClaims ports) {
        int port = node.integer(key, fallback, 1, 65_535);
        ports.claim(claim, port, port, node.child(key).orElse(node));
        return port;
    }
}
