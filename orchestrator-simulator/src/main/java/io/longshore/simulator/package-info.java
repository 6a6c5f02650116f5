/**
 * The test kit's traffic simulator: a real orchestrator and router on virtual time in front of
 * modelled replicas ({@link io.longshore.simulator.ReplicaModel}: service-time distribution,
 * start-up, concurrency limit, stalls, fast failures), fed by a
 * {@link io.longshore.simulator.Traffic} shape (constant, step, spike, ramp, diurnal, noisy,
 * closed-loop clients, idle then burst, timestamps) through a modelled gateway, reported as a
 * {@link io.longshore.simulator.SimulationReport}. Two modes: an orchestrator whose scaling policy
 * starts and stops replicas, or a fixed replica set behind a router with a chosen strategy.
 * Everything runs on the calling thread; a simulation is repeatable from its seed.
 */
package io.longshore.simulator;
