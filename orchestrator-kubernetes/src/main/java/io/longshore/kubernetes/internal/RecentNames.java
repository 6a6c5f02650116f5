package io.longshore.kubernetes.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded set of pod names: the ones this runtime deletes (so their end is not reported as an
 * exit), or the ones whose end was already reported (so it is reported once). The oldest are
 * forgotten once {@link #CAPACITY} are remembered; pod names are never reused. Thread-safe.
 */
final class RecentNames {
    /** How many names are remembered. */
    static final int CAPACITY = 4096;

    private final Map<String, Boolean> names = new LinkedHashMap<>();

    synchronized void add(String name) {
        names.put(name, Boolean.TRUE);
        if (names.size() > CAPACITY) {
            names.remove(names.keySet().iterator().next());
        }
    }

    /** Adds {@code name} unless it is there; returns whether it was added. */
    synchronized boolean addIfAbsent(String name) {
        if (names.containsKey(name)) {
            return false;
        }
        add(name);
        return true;
    }

    synchronized boolean contains(String name) {
        return names.containsKey(name);
    }
}
