/**
 * Runs replicas as Docker containers: {@link io.longshore.docker.DockerRuntime} turns a
 * {@link io.longshore.api.ContainerSpec} into a container through docker-java, reports crashes
 * from the engine's event stream and reads resource stats;
 * {@link io.longshore.docker.BusyboxWorkloadImage} builds the small test workload image without
 * a registry. docker-java types never appear in this package's public signatures.
 */
package io.longshore.docker;
