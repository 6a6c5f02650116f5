/**
 * What a user needs to test code built on Longshore without Docker, processes or real time:
 * an in-memory {@link io.longshore.testkit.FakeContainerRuntime}, a
 * {@link io.longshore.testkit.ManualClock} with a
 * {@link io.longshore.testkit.DeterministicScheduler} driven by it, a
 * {@link io.longshore.testkit.ScriptedProbe} whose answers a test sets per port, the
 * {@link io.longshore.testkit.ContainerRuntimeContract} every runtime must pass (with
 * {@link io.longshore.testkit.RuntimeUserJvm}, a runtime's user in a child JVM killed with SIGKILL), and
 * {@link io.longshore.testkit.TestWorkload}, a light HTTP replica to run as a child JVM. For
 * gateway tests: {@link io.longshore.testkit.ScriptedBackend}, a replica on loopback whose
 * {@link io.longshore.testkit.ScriptedResponse answers} a test scripts and whose
 * {@link io.longshore.testkit.RecordedRequest requests} it records;
 * {@link io.longshore.testkit.RawHttpClient}, a client that writes and reads HTTP byte for byte;
 * and {@link io.longshore.testkit.ScriptedServiceRuntime}, a fake service whose replicas are
 * scripted backends on the ports an orchestrator gives them.
 */
package io.longshore.testkit;
