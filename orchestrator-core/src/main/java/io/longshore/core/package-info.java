/**
 * The orchestrator engine. Public surface: {@link io.longshore.core.Orchestrator} and its
 * builder, the data path {@link io.longshore.core.Router} / {@link io.longshore.core.Lease}
 * (and {@link io.longshore.core.Routers} for a router over fixed endpoints), the views
 * {@link io.longshore.core.ReplicaView}, {@link io.longshore.core.OrchestratorStatus} and
 * {@link io.longshore.core.RolloutStatus}, the settings {@link io.longshore.core.OutlierDetection}
 * and {@link io.longshore.core.RolloutConfig}, {@link io.longshore.core.RolloutException},
 * {@link io.longshore.core.HttpHealthProbe} and the
 * embedded {@link io.longshore.core.ProcessRuntime} with its
 * {@link io.longshore.core.ProcessRuntimeBuilder} and {@link io.longshore.core.OrphanPolicy}.
 *
 * <p>Everything else here is package-private: the control loop ({@code ControlLoop}, with its
 * {@code DesiredReplicas}, {@code Reconciler}, {@code LoopViews} and {@code LoopRequests}) that owns
 * all replica state, each replica a state machine ({@code Replica} over {@code ReplicaPhase});
 * its collaborators ({@code ReplicaLifecycle} with {@code ReplicaStarts}, {@code ReplicaDepartures} and
 * {@code ContainerStops}, {@code RuntimeWatch}, {@code ProbeRunner},
 * {@code OutlierEjector}, {@code ScalingTicker}, {@code Adoption} with {@code FoundReplicas},
 * {@code Rollouts} with each {@code Rollout}'s state machine and the {@code RolloutPlanner}), which
 * see the loop only through a {@code ControlPort} and the {@code ReplicaTable}; each replica's
 * {@code Revision} (spec, hash, generation) and the labels that carry it ({@code ContainerLabels},
 * {@code SpecCodec}); the candidate filter
 * ({@code CandidateFilter}, {@code OutlierEjection}, {@code RoutingPublisher}) that the loop and
 * {@code FixedBackends} share; {@code RestartBackoff} and {@code EventLog}; the process runtime's
 * parts ({@code ProcessLauncher}, {@code ProcessWatchdog}, {@code ProcessRecords},
 * {@code ProcessAdoption}, {@code ProcessExitReporter}, {@code ProcessTree}, {@code ProcStat}, ...).
 * The lock-free router
 * lives in {@code io.longshore.core.internal}.
 */
package io.longshore.core;
