/**
 * The data path behind {@link io.longshore.core.Router}: immutable snapshots of routable
 * backends, leases with exact-once outcomes, per-backend load figures, the windowed request
 * meter and the rate-limited reporter of user-code failures. Public only so that the core
 * package can use it; not part of Longshore's API and free to change.
 */
package io.longshore.core.internal;
