/**
 * Runs replicas as Kubernetes pods: {@link io.longshore.kubernetes.KubernetesRuntime} turns a
 * {@link io.longshore.api.ContainerSpec} into a pod through the fabric8 client, waits until it
 * runs, reports exits, OOM kills and evictions from the pod watch, and reads the metrics API.
 * {@link io.longshore.kubernetes.KubernetesRuntimeBuilder} configures the cluster, the namespace
 * and the pods; {@link io.longshore.kubernetes.KubernetesRuntimeEvent} tells what the runtime saw
 * of the cluster. These three types are the module's API; fabric8 types never appear in their
 * public signatures. Everything else lives in {@code io.longshore.kubernetes.internal}.
 */
package io.longshore.kubernetes;
