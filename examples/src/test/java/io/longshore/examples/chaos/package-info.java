/**
 * The chaos suite: load through the gateway (16 concurrent clients of idempotent requests)
 * while replicas are killed from outside (SIGKILL, {@code docker kill}), hang, turn unhealthy or
 * are scaled away, proving that no request is lost and that the replica count is restored.
 * Each test prints one summary line ({@code CHAOS ...}) with the requests sent, failed and
 * retried and the longest time to restore the replica count.
 *
 * <p>Replica ports come from the chaos range 26000-26999; the gateway takes ephemeral ports.
 */
package io.longshore.examples.chaos;
