package io.longshore.docker;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class only when a Docker engine answers, and skips it with a message otherwise,
 * unless the system property {@value DockerCondition#REQUIRE_PROPERTY} is {@code true} (CI sets
 * it): then the class runs and fails on the missing engine.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(DockerCondition.class)
@interface RequiresDocker {
}
