/**
 * The Longshore traffic simulator: a real orchestrator and router on virtual time in front
 * of modelled replicas.
 */
module io.longshore.simulator {
    requires transitive io.longshore.core;
    requires transitive io.longshore.testkit;

    exports io.longshore.simulator;
}
