/**
 * JMH benchmarks of Longshore's hot paths: the router's lease and complete per request, and
 * the control loop's work per probe tick with many replicas, plus a main that measures the
 * orchestrator's retained heap. Run them from {@code benchmarks/target/benchmarks.jar}
 * (see BENCHMARKS.md); they never run as part of the test command.
 */
package io.longshore.benchmarks;
