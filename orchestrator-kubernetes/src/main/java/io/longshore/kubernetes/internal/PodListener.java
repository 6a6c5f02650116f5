package io.longshore.kubernetes.internal;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * What {@link PodTracker} tells about the pods it tracks. Called one event at a time, in the
 * order the API server sent them, never concurrently; implementations must not block.
 */
interface PodListener {

    /**
     * A pod was added or changed. {@code history} is true for the pods of the tracker's first list:
     * their state predates the runtime's interest, so an end already visible then is no news.
     */
    void changed(Pod pod, boolean history);

    /** A pod is gone from the API server; {@code last} is its last known state. */
    void gone(String name, Pod last);
}
