package io.longshore.api;

import java.util.List;
import java.util.function.BiFunction;

/**
 * What a strategy derives from one candidate list (a schedule, a ring, an index), kept for as
 * long as the router hands it that list instance and derived again from the previous state when
 * it hands another: an identity check and a volatile read per pick, no allocation. Racing
 * threads that see a new list at once may each derive it; the last one stays. Thread-safe.
 *
 * @param <T> what is derived; immutable, or thread-safe on its own
 */
final class PerCandidates<T> {
    private final BiFunction<T, List<Backend>, T> derive;
    private volatile Entry<T> entry;

    /** @param derive (the state of the previous list or null, the new list) → the new list's state */
    PerCandidates(BiFunction<T, List<Backend>, T> derive) {
        this.derive = derive;
    }

    /** The state of {@code candidates}, derived now if they are not the list of last time. */
    T of(List<Backend> candidates) {
        Entry<T> current = entry;
        if (current != null && current.candidates == candidates) {
            return current.state;
        }
        T state = derive.apply(current == null ? null : current.state, candidates);
        entry = new Entry<>(candidates, state);
        return state;
    }

    private record Entry<T>(List<Backend> candidates, T state) {
    }
}
