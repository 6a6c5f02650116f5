package io.longshore.core;

import io.longshore.api.OrchestratorException;

/**
 * A rollout request that does not fit the state of the rollouts: an update to the spec every
 * replica already runs, pausing what is not progressing, resuming what is not paused, undoing
 * when there is nothing to undo. The message says which and why.
 */
public class RolloutException extends OrchestratorException {
    private static final long serialVersionUID = 1L;

    public RolloutException(String message) {
        super(message);
    }
}
