package io.longshore.examples.acts;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one acts service until the process is stopped. The port comes from {@code --port} or
 * the {@code PORT} environment variable (which every Longshore runtime sets); the bind host
 * from {@code --host}, {@code BIND_HOST} or {@code HOST} (the process runtime sets it), else
 * 127.0.0.1; the {@code X-Replica} value from {@code --replica-id} or {@code REPLICA_ID}
 * (default host:port); the {@code X-Version} value from {@code --version} or
 * {@value ActsServer#VERSION_ENV} (default {@value ActsServer#DEFAULT_VERSION}); the database from {@code --database} / {@code --database-user} /
 * {@code --database-password} or {@value DatabaseSettings#URL_ENV},
 * {@value DatabaseSettings#USER_ENV} and {@value DatabaseSettings#PASSWORD_ENV} (required: the
 * service keeps no data of its own).
 */
public final class ActsMain {
    private static final Logger LOG = LoggerFactory.getLogger(ActsMain.class);
    static final String USAGE = """
            usage: java -cp longshore-seed.jar io.longshore.examples.acts.ActsMain [options]
              --port N                port to serve on (default: $PORT)
              --host HOST             address to bind (default: $BIND_HOST, else $HOST, else 127.0.0.1)
              --replica-id ID         value of the X-Replica header (default: $REPLICA_ID, else host:port)
              --version V             value of the X-Version header (default: $ACTS_VERSION, else v1)
              --database JDBC_URL     the database every replica shares (default: $ACTS_DATABASE_URL;
                                      required; jdbc:h2:mem:acts gives this replica a private one)
              --database-user U       its user (default: $ACTS_DATABASE_USER, else none)
              --database-password P   its password (default: $ACTS_DATABASE_PASSWORD, else none)
              --help                  print this help
            """;

    /**
     * H2's client retries a refused connection for up to 2 s ({@code h2.socketConnectTimeout});
     * the health check must answer 500 well within a probe's timeout when the database is down.
     */
    static final String H2_CONNECT_TIMEOUT_MILLIS = "250";

    /**
     * The JDK's HTTP server writes a response's head and its body in two writes and, unless told,
     * leaves Nagle's algorithm on: the body then waits for the peer's ACK of the head, which a
     * peer on a keep-alive connection (the gateway, HAProxy, nginx) delays by 40 ms or more. Two
     * of three responses through the gateway took 40 ms longer that way.
     */
    static final String HTTP_SERVER_NODELAY = "sun.net.httpserver.nodelay";

    private ActsMain() {
    }

    /**
     * Sets the system properties the service needs where the command line has not set them:
     * {@value #HTTP_SERVER_NODELAY} {@code true} and H2's connect timeout. Must run before the
     * first HTTP server and database connection of the JVM, which read them once.
     */
    static void applyDefaults(Properties properties) {
        properties.putIfAbsent(HTTP_SERVER_NODELAY, "true");
        properties.putIfAbsent("h2.socketConnectTimeout", H2_CONNECT_TIMEOUT_MILLIS);
    }

    public static void main(String[] args) throws IOException {
        applyDefaults(System.getProperties());
        Settings settings;
        try {
            settings = Settings.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            usage(System.err, "error: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (settings.help()) {
            usage(System.out, null);
            return;
        }
        ActsServer server = ActsServer.start(settings.host(), settings.port(), settings.replicaId(), settings.version(),
                settings.database());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "acts-shutdown"));
        LOG.info("acts service {} ({}) listening on {}:{}, data in {}", server.replicaId(), server.version(),
                settings.host(), server.port(), settings.database().describe());
    }

    private static void usage(PrintStream out, String error) {
        if (error != null) {
            out.println(error);
        }
        out.print(USAGE);
    }

    /** The parsed command line and environment. Immutable; {@code database} is null only with help. */
    record Settings(String host, int port, String replicaId, String version, DatabaseSettings database, boolean help) {

        static Settings parse(String[] args, Map<String, String> env) {
            String host = env.getOrDefault("BIND_HOST", env.getOrDefault("HOST", "127.0.0.1"));
            String port = env.get("PORT");
            String replicaId = env.get("REPLICA_ID");
            String version = env.getOrDefault(ActsServer.VERSION_ENV, ActsServer.DEFAULT_VERSION);
            String url = env.get(DatabaseSettings.URL_ENV);
            String user = env.getOrDefault(DatabaseSettings.USER_ENV, "");
            String password = env.getOrDefault(DatabaseSettings.PASSWORD_ENV, "");
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (flag.equals("--help") || flag.equals("-h")) {
                    return new Settings(host, 0, replicaId, version, null, true);
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("unknown flag or missing value: " + flag);
                }
                switch (flag) {
                    case "--port" -> port = args[++i];
                    case "--host" -> host = args[++i];
                    case "--replica-id" -> replicaId = args[++i];
                    case "--version" -> version = args[++i];
                    case "--database" -> url = args[++i];
                    case "--database-user" -> user = args[++i];
                    case "--database-password" -> password = args[++i];
                    default -> throw new IllegalArgumentException("unknown flag: " + flag);
                }
            }
            if (version.isBlank()) {
                throw new IllegalArgumentException("the version must not be blank (--version or "
                        + ActsServer.VERSION_ENV + ")");
            }
            return new Settings(host, parsePort(port), replicaId, version.strip(), database(url, user, password), false);
        }

        private static DatabaseSettings database(String url, String user, String password) {
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException("no database: pass --database JDBC_URL or set "
                        + DatabaseSettings.URL_ENV + " (jdbc:h2:mem:acts gives this replica a private one)");
            }
            return new DatabaseSettings(url, user, password);
        }

        private static int parsePort(String port) {
            if (port == null || port.isBlank()) {
                throw new IllegalArgumentException("no port: pass --port N or set PORT");
            }
            try {
                int value = Integer.parseInt(port.trim());
                if (value < 0 || value > 65_535) {
                    throw new IllegalArgumentException("port must be in 0..65535, was " + port);
                }
                return value;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("port must be a number, was '" + port + "'", e);
            }
        }
    }
}
