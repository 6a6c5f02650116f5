package io.longshore.benchmarks;

import io.longshore.api.Clock;
import io.longshore.api.Endpoint;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.core.Router;
import io.longshore.core.Routers;
import io.longshore.jetty.Gateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The harness's fallback gateway: the real {@link Gateway} over a round-robin
 * {@link Routers#fixed fixed router}, for when the seed jar is not built. Usage:
 * {@code java -cp benchmarks.jar io.longshore.benchmarks.StaticGatewayMain
 * --static-backends 127.0.0.1:P1,127.0.0.1:P2 --port N [--admin-port M] [--mode embedded]
 * [--http2 true] [--busy-poll-us N]}; the last two set the standalone gateway's
 * {@link io.longshore.jetty.GatewayBuilder#http2 http2} and {@link io.longshore.jetty.GatewayBuilder#busyPoll
 * busyPoll}, for profiling and for comparing settings.
 * With {@code --mode embedded} the gateway is built {@link io.longshore.jetty.GatewayBuilder#embedded()
 * embedded} and its handler mounted in a Jetty server of this main's own (one acceptor, one
 * selector, HTTP/1.1 on {@code --port}), as an application that embeds it would: the path HTTP/2
 * streams of a standalone gateway take too. Runs until killed.
 */
public final class StaticGatewayMain {

    /** The host server's threads in embedded mode (the handler never blocks one). */
    private static final int EMBEDDED_THREADS = 16;

    private StaticGatewayMain() {
    }

    /** The parsed command line. */
    record Options(List<Endpoint> backends, int port, int adminPort, boolean embedded, Duration busyPoll, boolean http2) {
        static Options parse(String... args) {
            List<Endpoint> backends = new ArrayList<>();
            int port = -1;
            int adminPort = -1;
            boolean embedded = false;
            Duration busyPoll = Gateway.DEFAULT_BUSY_POLL;
            boolean http2 = false;
            for (int i = 0; i + 1 < args.length; i += 2) {
                switch (args[i]) {
                    case "--static-backends" -> Arrays.stream(args[i + 1].split(","))
                            .map(String::trim).map(Endpoint::parse).forEach(backends::add);
                    case "--port" -> port = Integer.parseInt(args[i + 1]);
                    case "--admin-port" -> adminPort = Integer.parseInt(args[i + 1]);
                    case "--http2" -> http2 = switch (args[i + 1]) {
                        case "true" -> true;
                        case "false" -> false;
                        default -> throw new IllegalArgumentException("--http2 is true or false, was " + args[i + 1]);
                    };
                    case "--busy-poll-us" -> busyPoll = Duration.ofNanos(Math.multiplyExact(
                            Long.parseLong(args[i + 1]), 1000));
                    case "--mode" -> embedded = switch (args[i + 1]) {
                        case "embedded" -> true;
                        case "standalone" -> false;
                        default -> throw new IllegalArgumentException("--mode is standalone or embedded, was "
                                + args[i + 1]);
                    };
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (backends.isEmpty() || port < 0 || args.length % 2 != 0) {
                throw new IllegalArgumentException("usage: --static-backends host:port,... --port N [--admin-port M]"
                        + " [--mode standalone|embedded] [--busy-poll-us N] [--http2 true|false]");
            }
            if (embedded && (adminPort >= 0 || http2 || !busyPoll.equals(Gateway.DEFAULT_BUSY_POLL))) {
                throw new IllegalArgumentException("--admin-port, --http2 and --busy-poll-us are for the standalone"
                        + " mode only");
            }
            return new Options(List.copyOf(backends), port, adminPort, embedded, busyPoll, http2);
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Router router = Routers.fixed(options.backends(), LoadBalancingStrategy.roundRobin(), Clock.system());
        if (options.embedded()) {
            runEmbedded(router, options.port());
            return;
        }
        Gateway gateway = Gateway.builder()
                .router(router)
                .port(options.port())
                .adminEnabled(options.adminPort() >= 0)
                .adminPort(Math.max(0, options.adminPort()))
                .busyPoll(options.busyPoll())
                .http2(options.http2())
                .build()
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "gateway-shutdown"));
        System.out.println("gateway on 127.0.0.1:" + gateway.port() + " in front of " + options.backends());
        new CountDownLatch(1).await();
    }

    /** The gateway's handler in a Jetty server of this main's own, until killed. */
    private static void runEmbedded(Router router, int port) throws Exception {
        Gateway gateway = Gateway.builder().embedded().router(router).build().start();
        Server server = new Server(new QueuedThreadPool(EMBEDDED_THREADS, 2));
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(gateway.handler());
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } catch (Exception e) {
                e.printStackTrace();
            }
            gateway.close();
        }, "gateway-shutdown"));
        System.out.println("embedded gateway on 127.0.0.1:" + connector.getLocalPort());
        server.join();
    }
}
