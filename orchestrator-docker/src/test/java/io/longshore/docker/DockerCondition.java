package io.longshore.docker;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The condition behind {@link RequiresDocker}: asks the engine for a ping once per class. */
final class DockerCondition implements ExecutionCondition {
    /** System property that turns a missing engine from a skip into a failure. */
    static final String REQUIRE_PROPERTY = "longshore.requireDocker";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (engineAnswers()) {
            return ConditionEvaluationResult.enabled("a Docker engine answers");
        }
        if (Boolean.getBoolean(REQUIRE_PROPERTY)) {
            return ConditionEvaluationResult.enabled("no Docker engine answers but -D" + REQUIRE_PROPERTY
                    + "=true requires one: the tests will fail");
        }
        return ConditionEvaluationResult.disabled("no Docker engine answers (DOCKER_HOST or /var/run/docker.sock);"
                + " Docker tests skipped. Run scripts/ensure-docker.sh, or set -D" + REQUIRE_PROPERTY
                + "=true to make this a failure");
    }

    static boolean engineAnswers() {
        try (DockerRuntime runtime = DockerRuntime.builder().build()) {
            return runtime.isAvailable();
        }
    }
}
