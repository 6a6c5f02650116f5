/**
 * Test doubles and the runtime contract for users of Longshore: a fake container runtime,
 * a manual clock, a deterministic scheduler, scripted probes and backends, and the abstract
 * {@code ContainerRuntimeContract} every runtime must pass.
 *
 * <p>The package is open to JUnit so that the contract's test methods, which are not
 * public, run when the kit is on the module path.
 */
module io.longshore.testkit {
    requires transitive io.longshore.api;
    requires transitive org.junit.jupiter.api;
    requires org.assertj.core;
    requires jdk.httpserver;

    exports io.longshore.testkit;
    opens io.longshore.testkit to org.junit.platform.commons;
}
