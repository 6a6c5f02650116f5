package io.longshore.benchmarks;

import io.longshore.api.Backend;
import io.longshore.api.Endpoint;
import io.longshore.api.HashKey;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.api.RouteRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Measures consistent hashing's two promises and prints them: how many of 100 000 keys move when
 * an 11th replica joins ten (and whether any moves elsewhere than to it), and, with one hot key
 * at 30 % of the traffic, the highest max / mean requests in flight over ten replicas with
 * bounded loads (ε = 0.25) and without. Deterministic (fixed keys and seed). Run with
 * {@code java -cp benchmarks/target/benchmarks.jar io.longshore.benchmarks.ConsistentHashingMain [seed]}.
 */
public final class ConsistentHashingMain {
    static final int KEYS = 100_000;
    static final int IN_FLIGHT = 200;
    static final int STEPS = 100_000;
    static final double HOT_SHARE = 0.3;

    private ConsistentHashingMain() {
    }

    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 42;
        Remapping added = remapping(10, 11);
        Remapping removed = remapping(10, 9);
        System.out.printf(Locale.ROOT, "adding an 11th replica to 10: %.2f %% of %d keys moved (bound 1/11 + 2 %% ="
                + " %.2f %%), %d of them elsewhere than to the new replica%n", 100 * added.movedShare(), KEYS,
                100 * (1 / 11.0 + 0.02), added.elsewhere());
        System.out.printf(Locale.ROOT, "removing 1 of 10 replicas: %.2f %% of keys moved, %d of them from a replica"
                + " that stayed%n", 100 * removed.movedShare(), removed.elsewhere());
        for (double epsilon : new double[] {LoadBalancingStrategy.DEFAULT_BALANCE_FACTOR, Double.POSITIVE_INFINITY}) {
            System.out.printf(Locale.ROOT, "hot key at %.0f %%, %d in flight on 10 replicas, epsilon %s: max / mean in"
                    + " flight %.2f at worst%n", 100 * HOT_SHARE, IN_FLIGHT,
                    Double.isInfinite(epsilon) ? "off (plain ring)" : String.valueOf(epsilon),
                    worstMaxOverMean(epsilon, seed));
        }
    }

    /**
     * Where the keys go on {@code from} replicas and then on {@code to} (the first
     * {@code min(from, to)} are the same endpoints).
     */
    static Remapping remapping(int from, int to) {
        LoadBalancingStrategy strategy = LoadBalancingStrategy.consistentHash(HashKey.header(BenchRequest.USER_HEADER));
        List<Backend> before = backends(from);
        List<Backend> after = backends(to);
        int[] homes = new int[KEYS];
        for (int n = 0; n < KEYS; n++) {
            homes[n] = strategy.choose(before, new KeyRequest("user-" + n));
        }
        int moved = 0;
        int elsewhere = 0;
        for (int n = 0; n < KEYS; n++) {
            String was = before.get(homes[n]).id();
            String now = after.get(strategy.choose(after, new KeyRequest("user-" + n))).id();
            if (!was.equals(now)) {
                moved++;
                boolean expected = to > from ? now.equals(after.get(to - 1).id()) : was.equals(before.get(from - 1).id());
                elsewhere += expected ? 0 : 1;
            }
        }
        return new Remapping(moved / (double) KEYS, elsewhere);
    }

    /** The share of keys that moved, and how many moved other than to (from) the replica that came (went). */
    record Remapping(double movedShare, int elsewhere) {
    }

    /**
     * A closed loop of {@link #IN_FLIGHT} requests on ten replicas: each step one random request
     * ends and a new one arrives, {@link #HOT_SHARE} of them for one hot key. The highest max /
     * mean in flight seen after the first {@link #IN_FLIGHT} steps.
     */
    static double worstMaxOverMean(double epsilon, long seed) {
        LoadBalancingStrategy strategy = LoadBalancingStrategy.consistentHash(HashKey.header(BenchRequest.USER_HEADER),
                epsilon);
        List<Backend> candidates = backends(10);
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> open = new ArrayList<>();
        KeyRequest hot = new KeyRequest("hot-user");
        double worst = 0;
        for (int step = 0; step < STEPS; step++) {
            if (open.size() == IN_FLIGHT) {
                ((LoadedBackend) candidates.get(open.remove(random.nextInt(open.size())))).inFlight--;
            }
            RouteRequest request = random.nextDouble() < HOT_SHARE ? hot : new KeyRequest("user-" + random.nextInt());
            int picked = strategy.choose(candidates, request);
            ((LoadedBackend) candidates.get(picked)).inFlight++;
            open.add(picked);
            if (step >= IN_FLIGHT) {
                int max = 0;
                for (Backend backend : candidates) {
                    max = Math.max(max, backend.inFlight());
                }
                worst = Math.max(worst, max / (open.size() / (double) candidates.size()));
            }
        }
        return worst;
    }

    private static List<Backend> backends(int count) {
        List<Backend> backends = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            backends.add(new LoadedBackend("r" + i, Endpoint.loopback(9000 + i)));
        }
        return List.copyOf(backends);
    }

    /** A backend whose requests in flight the loop counts itself. Not thread-safe: one thread only. */
    private static final class LoadedBackend implements Backend {
        private final String id;
        private final Endpoint endpoint;
        private int inFlight;

        LoadedBackend(String id, Endpoint endpoint) {
            this.id = id;
            this.endpoint = endpoint;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Endpoint endpoint() {
            return endpoint;
        }

        @Override
        public int inFlight() {
            return inFlight;
        }

        @Override
        public long latencyEwmaNanos() {
            return 0;
        }
    }

    /** A request whose only key is its user header. */
    private record KeyRequest(String user) implements RouteRequest {
        @Override
        public String method() {
            return "GET";
        }

        @Override
        public String path() {
            return "/";
        }

        @Override
        public String header(String name) {
            return name.equalsIgnoreCase(BenchRequest.USER_HEADER) ? user : null;
        }
    }
}
