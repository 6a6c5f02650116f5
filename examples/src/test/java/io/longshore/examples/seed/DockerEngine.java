package io.longshore.examples.seed;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.longshore.docker.DockerRuntime;

/**
 * Gate of the Docker tests: skipped with a message when no engine answers, failed instead when
 * the system property {@code longshore.requireDocker} is true (as {@code .ci/run} sets it).
 */
final class DockerEngine {
    private DockerEngine() {
    }

    static void assumeAnswers() {
        boolean answers;
        try (DockerRuntime docker = DockerRuntime.builder().build()) {
            answers = docker.isAvailable();
        }
        if (!answers && Boolean.getBoolean("longshore.requireDocker")) {
            fail("no Docker engine answers, and longshore.requireDocker=true requires one");
        }
        assumeTrue(answers, "no Docker engine answers: Docker test skipped"
                + " (-Dlongshore.requireDocker=true makes this a failure)");
    }
}
