/**
 * The Longshore service-provider interface: what a container runtime, a load-balancing
 * strategy, a health probe and a scaling policy must do, the values they exchange, and the
 * sealed hierarchy of events an orchestrator publishes. This module has no dependencies;
 * implementations live in the core, docker and jetty modules or in user code.
 *
 * <p>Every type here is either an immutable value (thread-safe) or an interface whose
 * contract states its threading rules.
 */
package io.longshore.api;
