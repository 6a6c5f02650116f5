/**
 * The orchestrator engine: {@link io.longshore.core.Orchestrator} and its builder, the
 * control loop that owns all replica state, the lock-free {@link io.longshore.core.Router}
 * of the data path, the HTTP health probe and the embedded process runtime.
 */
package io.longshore.core;
