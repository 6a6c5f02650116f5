/**
 * The Kubernetes container runtime for Longshore, built on the fabric8 Kubernetes client.
 *
 * <p>Only {@code io.longshore.kubernetes} is exported; {@code io.longshore.kubernetes.internal}
 * (the pod factory and tracker, the fabric8 adapter) is not.
 *
 * <p>fabric8's jars (8.0) are automatic modules. All but the HTTP clients carry no
 * {@code Automatic-Module-Name}, so the names required here are the ones the JDK derives from
 * their file names ({@code kubernetes-client-api-8.0.0.jar} is {@code kubernetes.client.api}).
 * An automatic module cannot say what it needs: the Jackson 3 modules fabric8 serializes with
 * are required here so that they are in the module graph. The implementation jar
 * ({@code kubernetes.client}) is required too: the fabric8 adapter calls its {@code BaseOperation}
 * to wait for a watch with a deadline.
 */
module io.longshore.kubernetes {
    requires transitive io.longshore.api;
    requires kubernetes.client.api;
    requires kubernetes.client;
    requires kubernetes.model.core;
    requires kubernetes.model.metrics;
    requires io.fabric8.kubernetes.client.jdkhttp;
    requires java.net.http;
    requires tools.jackson.databind;
    requires tools.jackson.dataformat.yaml;
    requires org.slf4j;

    exports io.longshore.kubernetes;
}
