package io.longshore.docker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded set of container ids: the ones this runtime was asked to stop (so their {@code die}
 * events are not reported as crashes), or the ones whose end was already reported (so a
 * {@code die} the engine replays after a reconnect is not reported twice). The oldest ids are forgotten once
 * {@link #CAPACITY} are remembered; their events arrive within milliseconds. Thread-safe.
 */
final class RecentIds {
    /** How many ids are remembered. */
    static final int CAPACITY = 4096;

    private final Map<String, Boolean> ids = new LinkedHashMap<>();

    synchronized void add(String containerId) {
        ids.put(containerId, Boolean.TRUE);
        if (ids.size() > CAPACITY) {
            ids.remove(ids.keySet().iterator().next());
        }
    }

    /** Adds {@code containerId} unless it (or a short id of it) is there; returns whether it was added. */
    synchronized boolean addIfAbsent(String containerId) {
        if (contains(containerId)) {
            return false;
        }
        add(containerId);
        return true;
    }

    /** Whether {@code containerId} was added, as a full id or as a short id (prefix) of it. */
    synchronized boolean contains(String containerId) {
        if (ids.containsKey(containerId)) {
            return true;
        }
        for (String id : ids.keySet()) {
            if (id.startsWith(containerId) || containerId.startsWith(id)) {
                return true;
            }
        }
        return false;
    }

    /** Removes {@code containerId} (full or short id); returns whether it was there. */
    synchronized boolean remove(String containerId) {
        return ids.keySet().removeIf(id -> id.startsWith(containerId) || containerId.startsWith(id));
    }
}
