package io.longshore.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A light HTTP replica for tests, run as its own JVM with only the JDK on its class path
 * ({@link #command(String...)} builds the command line). It listens on {@code $PORT} (or
 * {@code --port N}) at {@code $HOST} (or {@code --host H}, default {@code 127.0.0.1}) and answers:
 * <ul>
 *   <li>{@code GET /api/v1/_health}: 200 {@code ok}, or 500 {@code crashed} after a crash request;</li>
 *   <li>{@code POST /api/v1/_crash}: turns the health endpoint unhealthy, answers 200;</li>
 *   <li>{@code POST /api/v1/_hang}: answers 200, then accepts every later request (health
 *       included) and never answers it, as a replica stuck in a deadlock would;</li>
 *   <li>{@code GET /api/v1/_count}: how many ordinary requests it served, as text;</li>
 *   <li>anything else: 200 with {@code <replica> <METHOD> <path>} and the request body appended,
 *       after {@code delay} milliseconds when the query has {@code delay=N} (a slow request).</li>
 * </ul>
 * Every answer carries an {@code X-Replica} header ({@code --id NAME}, else {@code host:port}) and
 * an {@code X-Version} header ({@code --version V}, else {@code $WORKLOAD_VERSION}, else {@code v1}),
 * so that a rollout from one version to another shows in the answers.
 * With {@code --hang} it accepts connections and never answers. SIGTERM ends it at once.
 * Its server runs with Nagle's algorithm off ({@code sun.net.httpserver.nodelay}, unless the command
 * line sets it), as a replica behind a keep-alive proxy must: otherwise each answer's body
 * waits 40 ms or more for the proxy's delayed ACK of its head.
 *
 * <p>This class references only the JDK, so the child JVM needs nothing but the test kit's
 * classes on its class path; build a process spec with
 * {@code ContainerSpec.builder(service).command(TestWorkload.command()).build()}.
 *
 * <p>Thread-safe: requests are served from a small pool; the counters are atomic.
 */
public final class TestWorkload {
    /** The health path it serves. */
    public static final String HEALTH_PATH = "/api/v1/_health";
    /** POST here to make the health endpoint answer 500 from now on. */
    public static final String CRASH_PATH = "/api/v1/_crash";
    /** POST here to make every later request hang (accepted, never answered). */
    public static final String HANG_PATH = "/api/v1/_hang";
    /** GET here for the number of ordinary requests served. */
    public static final String COUNT_PATH = "/api/v1/_count";
    /** The response header that names the replica. */
    public static final String REPLICA_HEADER = "X-Replica";
    /** The response header that names the version. */
    public static final String VERSION_HEADER = "X-Version";
    /** The environment variable the version is read from. */
    public static final String VERSION_ENV = "WORKLOAD_VERSION";
    /** The version when none is given. */
    public static final String DEFAULT_VERSION = "v1";

    /** Read once by the JDK's HTTP server: {@code true} turns Nagle's algorithm off on its sockets. */
    static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";
    private static final int SERVER_THREADS = 32;
    private static final long MAX_DELAY_MILLIS = 60_000;

    private final AtomicBoolean crashed = new AtomicBoolean();
    private final AtomicBoolean hung = new AtomicBoolean();
    private final AtomicLong served = new AtomicLong();
    private final String replica;
    private final String version;

    private TestWorkload(String replica, String version) {
        this.replica = replica;
        this.version = version;
    }

    /**
     * The command line that runs this workload in a fresh JVM of the current Java installation,
     * with {@code args} appended (e.g. {@code --hang}, {@code --id a}).
     */
    public static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xmx64m",
                "-cp", classPathEntry().toString(), TestWorkload.class.getName()));
        command.addAll(List.of(args));
        return List.copyOf(command);
    }

    private static Path classPathEntry() {
        try {
            return Path.of(TestWorkload.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the test kit's classes", e);
        }
    }

    /** Runs the workload; see the class comment for the arguments. */
    public static void main(String[] args) throws IOException {
        // the JDK's server writes a response's head and body apart; with Nagle's algorithm on, the
        // body waits 40 ms or more for a keep-alive peer's delayed ACK of the head
        System.getProperties().putIfAbsent(NODELAY_PROPERTY, "true");
        Options options = Options.parse(args, System.getenv());
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(options.host()), options.port());
        String replica = options.id() == null ? options.host() + ":" + options.port() : options.id();
        if (options.hang()) {
            hang(address);
        } else {
            new TestWorkload(replica, options.version()).serve(address);
        }
    }

    private void serve(InetSocketAddress address) throws IOException {
        HttpServer server = HttpServer.create(address, 128);
        ExecutorService pool = Executors.newFixedThreadPool(SERVER_THREADS);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
        System.out.println("test workload " + replica + " serving on " + address);
    }

    private void handle(HttpExchange exchange) throws IOException {
        if (hung.get()) {
            return; // neither answered nor closed: the client waits until it gives up
        }
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            exchange.getResponseHeaders().add(REPLICA_HEADER, replica);
            exchange.getResponseHeaders().add(VERSION_HEADER, version);
            if (HEALTH_PATH.equals(path)) {
                respond(exchange, crashed.get() ? 500 : 200, crashed.get() ? "crashed" : "ok");
            } else if (CRASH_PATH.equals(path) && "POST".equals(method)) {
                crashed.set(true);
                respond(exchange, 200, "crashing");
            } else if (HANG_PATH.equals(path) && "POST".equals(method)) {
                respond(exchange, 200, "hanging");
                hung.set(true);
            } else if (COUNT_PATH.equals(path)) {
                respond(exchange, 200, Long.toString(served.get()));
            } else {
                pause(delayMillis(exchange.getRequestURI().getRawQuery()));
                served.incrementAndGet();
                respond(exchange, 200, replica + " " + method + " " + path
                        + (body.length == 0 ? "" : " " + new String(body, StandardCharsets.UTF_8)));
            }
        }
    }

    /** The {@code delay=N} of a query in milliseconds (0 when absent or malformed, capped at a minute). */
    static long delayMillis(String query) {
        if (query == null) {
            return 0;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("delay=")) {
                try {
                    return Math.max(0, Math.min(MAX_DELAY_MILLIS, Long.parseLong(pair.substring(6))));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    private static void pause(long millis) {
        if (millis == 0) {
            return;
        }
        try {
            Thread.sleep(millis); // the workload simulates a slow request; it is not a test
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void hang(InetSocketAddress address) throws IOException {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(address, 128);
            System.out.println("test workload hanging on " + address);
            while (true) {
                held.add(socket.accept());
            }
        }
    }

    /** Parsed command line: flags win over the environment. */
    record Options(String host, int port, String id, String version, boolean hang) {

        static Options parse(String[] args, Map<String, String> env) {
            String host = env.getOrDefault("HOST", "127.0.0.1");
            String port = env.get("PORT");
            String id = null;
            String version = env.getOrDefault(VERSION_ENV, DEFAULT_VERSION);
            boolean hang = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--host" -> host = value(args, ++i);
                    case "--port" -> port = value(args, ++i);
                    case "--id" -> id = value(args, ++i);
                    case "--version" -> version = value(args, ++i);
                    case "--hang" -> hang = true;
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
            if (port == null) {
                throw new IllegalArgumentException("no port: set $PORT or pass --port N");
            }
            return new Options(host, parsePort(port), id, version, hang);
        }

        private static String value(String[] args, int index) {
            if (index >= args.length) {
                throw new IllegalArgumentException(args[index - 1] + " needs a value");
            }
            return args[index];
        }

        private static int parsePort(String port) {
            try {
                return Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("port must be a number, was '" + port + "'", e);
            }
        }
    }
}
