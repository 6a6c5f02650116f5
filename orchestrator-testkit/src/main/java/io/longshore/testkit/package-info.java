/**
 * What a user needs to test code built on Longshore without Docker, processes or real time:
 * an in-memory {@link io.longshore.testkit.FakeContainerRuntime}, a
 * {@link io.longshore.testkit.ManualClock} with a
 * {@link io.longshore.testkit.DeterministicScheduler} driven by it, a
 * {@link io.longshore.testkit.ScriptedProbe} whose answers a test sets per port, the
 * {@link io.longshore.testkit.ContainerRuntimeContract} every runtime must pass (with
 * {@link io.longshore.testkit.RuntimeUserJvm}, a runtime's user in a child JVM killed with SIGKILL), and
 * {@link io.longshore.testkit.TestWorkload}, a light HTTP replica to run as a child JVM.
 */
package io.longshore.testkit;
