package io.longshore.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ActsCommandTest {

    @Test
    void theCommandRunsActsMainOnTheGivenClassPathWithASmallHeap() {
        List<String> command = ActsCommand.of("/opt/java/bin/java", "/tmp/longshore-seed.jar");

        assertThat(command).startsWith("/opt/java/bin/java")
                .contains("-Xmx96m")
                .endsWith("-cp", "/tmp/longshore-seed.jar", "io.longshore.examples.acts.ActsMain");
    }

    @Test
    void thisJvmsCommandUsesItsOwnJavaAndClassPath() {
        List<String> command = ActsCommand.forThisJvm();

        assertThat(command.get(0)).endsWith("java");
        assertThat(command).contains(System.getProperty("java.class.path"));
    }

    @Test
    void withoutAClassPathThereIsNothingToRun() {
        assertThatThrownBy(() -> ActsCommand.of("java", " ")).hasMessageContaining("class path");
    }
}
