/**
 * The workings of {@link io.longshore.kubernetes.KubernetesRuntime}, not an API: public only so
 * that the runtime's package can reach them, and not exported by the module. {@link
 * io.longshore.kubernetes.internal.PodRuntime} wires the parts: the pod factory and overlay (a
 * {@code ContainerSpec} becomes a pod), the launcher and its follower (a start and what comes after
 * it), the stopper, the pod tracker (list and watch, resume, relist, outages) and the exit reporter
 * fed by it, the metrics reader, and {@link io.longshore.kubernetes.internal.PodApi}, the few calls
 * to the API server that the rest makes through fabric8. May change in any release.
 */
package io.longshore.kubernetes.internal;
