package io.longshore.core.internal;

import io.longshore.api.Backend;
import io.longshore.api.Clock;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.api.LoadMetrics;
import io.longshore.api.RouteRequest;
import io.longshore.api.internal.UserCode;
import io.longshore.core.Lease;
import io.longshore.core.Router;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The lock-free router. One writer (the control loop) {@link #publish publishes} immutable
 * snapshots of routable backends; request threads read the current one, let the strategy
 * pick, and count the lease on the backend. A backend removed by a publication is marked
 * unleasable right after the new snapshot is visible ({@link RetiredBackends}), and a lease
 * re-checks the mark after counting itself in flight: so once {@link #publish} returns, no new
 * lease lands on a removed backend, and a control loop that sees a removed backend with nothing
 * in flight knows none will arrive. How a lease's request ended is counted by
 * {@link RequestOutcomes}; what the router reads of its strategy once, by
 * {@link StrategySettings}. Thread-safe.
 */
public final class DefaultRouter implements Router {
    /** Attempts to lease before giving up when publications keep racing a request. */
    private static final int LEASE_ATTEMPTS = 8;

    /** What a router tells its owner. Called on request threads; must not block. */
    public interface Hooks {
        /** {@code backend} reached the outlier threshold of consecutive failures. */
        default void outlier(ReplicaBackend backend) {
        }

        /** The first request was routed. */
        default void firstRequest(Instant at) {
        }

        /** The strategy failed (already rate-limited). */
        default void userCodeFailed(String component, String error) {
        }

        /**
         * Every backend the owner has, routable or not; empty when the routable ones are all it
         * has (an orchestrator lists its replicas itself).
         */
        default Optional<List<Backend>> backends() {
            return Optional.empty();
        }

        /** Called at the start of every lease, before the snapshot is read; must be cheap. */
        default void beforeLease() {
        }

        /**
         * Requests wait in a gateway's line with no room for them on any replica: the owner may
         * want more replicas now rather than at its next decision.
         */
        default void capacityWanted() {
        }

        /** A cold start ended: requests held while no replica was routable got their first answer {@code took} after the first was held. */
        default void coldStarted(Duration took, int held) {
        }
    }

    private final LoadBalancingStrategy strategy;
    /** How failures of the strategy are reported: its name, taken once (a user's toString may throw). */
    private final String component;
    private final LoadBalancingStrategy fallback = LoadBalancingStrategy.roundRobin();
    private final Optional<String> stickyCookie;
    private final Clock clock;
    private final Hooks hooks;
    private final FailureReporter failures;
    private final RequestMeter meter;
    private final RouterMetrics metrics;
    private final AtomicReference<Instant> firstRequest = new AtomicReference<>();
    private final RouterCapacity capacity;
    private final RequestOutcomes outcomes;
    private volatile RouterSnapshot snapshot = RouterSnapshot.EMPTY;
    /** Backends a publication removed while requests were still in flight on them. */
    private final RetiredBackends retired = new RetiredBackends();

    /**
     * @param outlierThreshold consecutive failures that make {@link Hooks#outlier} fire, 0 for never
     */
    public DefaultRouter(LoadBalancingStrategy strategy, Clock clock, int outlierThreshold, Hooks hooks) {
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.component = "strategy " + UserCode.name(strategy);
        this.clock = Objects.requireNonNull(clock, "clock");
        if (outlierThreshold < 0) {
            throw new IllegalArgumentException("outlierThreshold must be >= 0, was " + outlierThreshold);
        }
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        this.failures = new FailureReporter(clock, FailureReporter.DEFAULT_INTERVAL, hooks::userCodeFailed);
        StrategySettings settings = StrategySettings.of(strategy, failures);
        this.stickyCookie = settings.stickyCookie();
        AtomicInteger waiting = new AtomicInteger();
        this.meter = new RequestMeter(clock, this::inFlight, waiting::get);
        this.capacity = new RouterCapacity(this, meter, waiting, hooks);
        this.metrics = new RouterMetrics(meter, this::inFlight);
        this.outcomes = new RequestOutcomes(meter, capacity, hooks, outlierThreshold, settings.latencyDecayNanos());
    }

    /**
     * Makes {@code backends} the routable set. Single writer: the owner calls it from one
     * thread at a time (its control loop).
     */
    public void publish(List<ReplicaBackend> backends) {
        RouterSnapshot old = snapshot;
        RouterSnapshot published = old.next(backends);
        snapshot = published;
        retired.retire(old, published);
        capacity.mayBeFree();
    }

    /** Requests in flight on every backend, the ones a publication removed included. */
    private int inFlight() {
        int total = 0;
        RouterSnapshot current = snapshot;
        for (int i = 0; i < current.size(); i++) {
            total += current.get(i).inFlight();
        }
        return total + retired.inFlight();
    }

    /** The sequence number of the current snapshot; grows with each publication. */
    public long snapshotSequence() {
        return snapshot.sequence();
    }

    /** When the first request was routed, if one was. */
    public Optional<Instant> firstRequestAt() {
        return Optional.ofNullable(firstRequest.get());
    }

    /** The load figures with windows ending at {@code endNanos} of the router's clock. */
    public LoadMetrics metricsAsOf(long endNanos) {
        return metrics.asOf(endNanos);
    }

    /** Sets the CPU reading {@link #metrics()} reports (NaN for unknown). */
    public void cpuPercent(double value) {
        metrics.cpuPercent(value);
    }

    /** The waiting line's side of this router: room, the waiting count, capacity signals. */
    public RouterCapacity capacity() {
        return capacity;
    }

    /** The backends routable now (for {@link RouterCapacity}). */
    RouterSnapshot current() {
        return snapshot;
    }

    @Override
    public Lease newLease() {
        return new RouterLease(this, outcomes);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    /**
     * Picks a backend other than {@code excluded} and {@code alsoExcluded} (null for none) and
     * counts the request on it at {@code now}; null when none is routable, every one is at its
     * concurrency limit, or the strategy routes nowhere ({@code lease} hears which). When the
     * strategy's pick is {@code alsoExcluded}, the next candidate after it is taken instead. When the pick is
     * at its limit the next candidate with room takes the request. A backend a concurrent
     * publication removed is given back and the pick made again on the new snapshot.
     */
    ReplicaBackend acquire(RouteRequest request, Backend excluded, Backend alsoExcluded, long now,
                           RouterLease lease) {
        hooks.beforeLease();
        for (int attempt = 0; attempt < LEASE_ATTEMPTS; attempt++) {
            RouterSnapshot current = snapshot;
            if (current.isEmpty()) {
                lease.missed(true);
                return null;
            }
            int excludedIndex = current.indexOf(excluded);
            int alsoIndex = current.indexOf(alsoExcluded);
            int picked = choose(current.candidates(), request, excludedIndex);
            if (picked >= 0 && picked == alsoIndex) {
                picked = nextAfter(current.size(), excludedIndex, alsoIndex);
            }
            if (picked < 0) {
                lease.missed(false);
                return null;
            }
            ReplicaBackend chosen = take(current, picked, excludedIndex, alsoIndex);
            if (chosen == null) {
                lease.missed(true);
                return null;
            }
            if (chosen.isLeasable()) {
                counted(now);
                return chosen;
            }
            chosen.unacquire();
        }
        lease.missed(true);
        return null;
    }

    /**
     * Counts the request on the candidate at {@code picked} or, when that one is at its limit,
     * on the next one with room other than the candidates at {@code excluded} and {@code also}
     * (-1 for none).
     */
    private static ReplicaBackend take(RouterSnapshot current, int picked, int excluded, int also) {
        ReplicaBackend first = current.get(picked);
        if (first.tryAcquire()) {
            return first;
        }
        int n = current.size();
        for (int i = 1; i < n; i++) {
            int at = (picked + i) % n;
            if (at == excluded || at == also) {
                continue;
            }
            ReplicaBackend next = current.get(at);
            if (next.room() > 0 && next.tryAcquire()) {
                return next;
            }
        }
        return null;
    }

    private void counted(long now) {
        meter.markRequest(now);
        if (firstRequest.get() == null) {
            Instant at = clock.instant();
            if (firstRequest.compareAndSet(null, at)) {
                hooks.firstRequest(at);
            }
        }
    }

    /**
     * The position of the strategy's pick other than candidate {@code excluded} (-1 for none), or
     * round robin's when it throws or answers a position outside the candidates (or the excluded
     * one); {@link LoadBalancingStrategy#NONE} when it routes nowhere or only the excluded one is
     * left.
     */
    private int choose(List<Backend> candidates, RouteRequest request, int excluded) {
        int picked;
        try {
            picked = excluded < 0 ? strategy.choose(candidates, request)
                    : strategy.chooseExcept(candidates, request, excluded);
        } catch (RuntimeException | Error e) {
            UserCode.rethrowIfFatal(e);
            failures.report(component, e);
            return fallback.chooseExcept(candidates, request, excluded);
        }
        if (picked >= 0 && picked < candidates.size() && picked != excluded || picked == LoadBalancingStrategy.NONE) {
            return picked;
        }
        failures.report(component, picked == excluded ? "picked the excluded candidate " + picked
                : "picked candidate " + picked + " of " + candidates.size());
        return fallback.chooseExcept(candidates, request, excluded);
    }

    /**
     * For a request that failed on the candidates at {@code excluded} and {@code also} and that
     * the strategy maps to {@code also} again (consistent hashing, a sticky cookie): the next
     * candidate after {@code also} in the snapshot's order, or {@link LoadBalancingStrategy#NONE}
     * when none is left. The strategy is not asked again with another list: its state is kept
     * per candidate list (a ring, an index), and a list of its own for each such retry would
     * rebuild it twice, a storm of rebuilds while two replicas fail.
     */
    private static int nextAfter(int size, int excluded, int also) {
        for (int i = 1; i < size; i++) {
            int at = (also + i) % size;
            if (at != excluded) {
                return at;
            }
        }
        return LoadBalancingStrategy.NONE;
    }

    @Override
    public List<Backend> routable() {
        return snapshot.candidates();
    }

    @Override
    public List<Backend> backends() {
        return hooks.backends().orElseGet(this::routable);
    }

    @Override
    public LoadMetrics metrics() {
        return metrics;
    }

    @Override
    public String strategyName() {
        return UserCode.name(strategy);
    }

    @Override
    public Optional<String> stickyCookie() {
        return stickyCookie;
    }

    @Override
    public String toString() {
        return "router(" + strategy + ", " + snapshot.size() + " routable)";
    }
}
