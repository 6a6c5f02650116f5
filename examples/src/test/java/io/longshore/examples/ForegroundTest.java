package io.longshore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.OrchestratorException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** The one line a failed start prints says what failed underneath. */
class ForegroundTest {

    @Test
    void aFailedStartNamesItsCausesEachOnceAndTheTypeOfABarePathsFailure() {
        OrchestratorException failure = new OrchestratorException("gateway failed to start on 127.0.0.1:8080",
                new IllegalStateException("the TLS certificate could not be loaded",
                        new NoSuchFileException("nope.pem")));

        assertThat(Foreground.describe(failure)).isEqualTo("gateway failed to start on 127.0.0.1:8080: the TLS"
                + " certificate could not be loaded: NoSuchFileException: nope.pem");
    }

    @Test
    void aCauseAlreadyInTheMessageIsNotRepeated() {
        IOException bind = new IOException("Failed to bind to /127.0.0.1:8081");
        OrchestratorException failure = new OrchestratorException("gateway failed to start on 127.0.0.1:8080"
                + " (admin 127.0.0.1:8081): " + bind.getMessage(), new UncheckedIOException(bind));

        assertThat(Foreground.describe(failure)).isEqualTo("gateway failed to start on 127.0.0.1:8080"
                + " (admin 127.0.0.1:8081): Failed to bind to /127.0.0.1:8081");
    }

    @Test
    void aCycleOfCausesEnds() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);

        assertThat(Foreground.describe(first)).isEqualTo("first: second");
    }
}
