/**
 * The orchestrator engine. Public surface: {@link io.longshore.core.Orchestrator} and its
 * builder, the data path {@link io.longshore.core.Router} / {@link io.longshore.core.Lease}
 * (and {@link io.longshore.core.Routers} for a router over fixed endpoints), the views
 * {@link io.longshore.core.ReplicaView} and {@link io.longshore.core.OrchestratorStatus},
 * {@link io.longshore.core.OutlierDetection}, {@link io.longshore.core.HttpHealthProbe} and the
 * embedded {@link io.longshore.core.ProcessRuntime} with its
 * {@link io.longshore.core.ProcessRuntimeBuilder} and {@link io.longshore.core.OrphanPolicy}.
 *
 * <p>Everything else here is package-private: the control loop ({@code ControlLoop}) that owns
 * all replica state, with its parts ({@code ReplicaLifecycle}, {@code ProbeRunner},
 * {@code OutlierEjector}, {@code ScalingTicker}, {@code Adoption}, {@code RestartBackoff},
 * {@code EventLog}); the process runtime's parts ({@code ProcessLauncher}, {@code ProcessWatchdog},
 * {@code ProcessRecords}, {@code ProcessAdoption}, {@code ProcessExitReporter}, {@code ProcessTree},
 * {@code ProcStat}, ...); the lock-free router lives in {@code io.longshore.core.internal}.
 */
package io.longshore.core;
