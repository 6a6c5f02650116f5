package io.longshore.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Sticky sessions: a request whose cookie names a candidate's id goes to that candidate (unless
 * a retry must avoid it); any other request goes where the strategy {@code otherwise} sends it.
 * The gateway sets the cookie ({@link #stickyCookie()}). Thread-safe as {@code otherwise} is;
 * allocation-free per pick when it is.
 */
final class StickySessionStrategy implements LoadBalancingStrategy {
    private final String cookie;
    private final LoadBalancingStrategy otherwise;
    private final PerCandidates<IdIndex> indexes = new PerCandidates<>(IdIndex::of);

    StickySessionStrategy(String cookie, LoadBalancingStrategy otherwise) {
        this.cookie = cookie;
        this.otherwise = otherwise;
    }

    @Override
    public int choose(List<Backend> candidates, RouteRequest request) {
        int stuck = stuckTo(candidates, request);
        return stuck >= 0 ? stuck : otherwise.choose(candidates, request);
    }

    @Override
    public int chooseExcept(List<Backend> candidates, RouteRequest request, int excluded) {
        int stuck = stuckTo(candidates, request);
        return stuck >= 0 && stuck != excluded ? stuck : otherwise.chooseExcept(candidates, request, excluded);
    }

    private int stuckTo(List<Backend> candidates, RouteRequest request) {
        CharSequence id = request.cookieView(cookie);
        return id == null || candidates.isEmpty() ? -1 : indexes.of(candidates).positionOf(id);
    }

    @Override
    public Duration latencyDecay() {
        return otherwise.latencyDecay();
    }

    @Override
    public Optional<String> stickyCookie() {
        return Optional.of(cookie);
    }

    @Override
    public String toString() {
        return "sticky(" + cookie + ", " + otherwise + ")";
    }
}
