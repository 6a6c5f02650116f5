package io.longshore.benchmarks;

import io.longshore.api.Clock;
import io.longshore.api.Endpoint;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.core.Routers;
import io.longshore.jetty.Gateway;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The harness's fallback gateway: the real {@link Gateway} over a round-robin
 * {@link Routers#fixed fixed router}, for when the seed jar is not built. Usage:
 * {@code java -cp benchmarks.jar io.longshore.benchmarks.StaticGatewayMain
 * --static-backends 127.0.0.1:P1,127.0.0.1:P2 --port N --admin-port M}. Runs until killed.
 */
public final class StaticGatewayMain {

    private StaticGatewayMain() {
    }

    /** The parsed command line. */
    record Options(List<Endpoint> backends, int port, int adminPort) {
        static Options parse(String... args) {
            List<Endpoint> backends = new ArrayList<>();
            int port = -1;
            int adminPort = -1;
            for (int i = 0; i + 1 < args.length; i += 2) {
                switch (args[i]) {
                    case "--static-backends" -> Arrays.stream(args[i + 1].split(","))
                            .map(String::trim).map(Endpoint::parse).forEach(backends::add);
                    case "--port" -> port = Integer.parseInt(args[i + 1]);
                    case "--admin-port" -> adminPort = Integer.parseInt(args[i + 1]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (backends.isEmpty() || port < 0 || args.length % 2 != 0) {
                throw new IllegalArgumentException("usage: --static-backends host:port,... --port N [--admin-port M]");
            }
            return new Options(List.copyOf(backends), port, adminPort);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Options options = Options.parse(args);
        Gateway gateway = Gateway.builder()
                .router(Routers.fixed(options.backends(), LoadBalancingStrategy.roundRobin(), Clock.system()))
                .port(options.port())
                .adminEnabled(options.adminPort() >= 0)
                .adminPort(Math.max(0, options.adminPort()))
                .build()
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "gateway-shutdown"));
        System.out.println("gateway on 127.0.0.1:" + gateway.port() + " in front of " + options.backends());
        new CountDownLatch(1).await();
    }
}
