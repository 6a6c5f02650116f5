package io.longshore.examples.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    @TempDir
    Path dir;

    private ConfigMain.Prepared prepare(String... args) {
        return ConfigMain.prepare(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void checkOfTheExampleFileSaysOkAndExitsWithZero() {
        ConfigMain.Prepared prepared = prepare("--config", "longshore.yaml", "--check");

        assertThat(prepared.exitStatus()).isZero();
        assertThat(prepared.config()).isNull();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("longshore.yaml: ok; gateway on 127.0.0.1:8080")
                .contains("acts on / (command, replicas 1..10 from port 8000)");
    }

    @Test
    void withoutCheckTheConfigIsHandedOnToRun() {
        ConfigMain.Prepared prepared = prepare("--config=longshore.yaml");

        assertThat(prepared.config()).isNotNull();
        assertThat(prepared.config().services()).hasSize(1);
    }

    @Test
    void aFileWithProblemsPrintsOneLinePerProblemAndExitsWithTwo() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "services:\n  web:\n    command: [x]\n    probe: {interval: fast}\n");

        ConfigMain.Prepared prepared = prepare("--config", file.toString(), "--check");

        assertThat(prepared.exitStatus()).isEqualTo(2);
        assertThat(err()).isEqualTo("error: " + file + ":4:23: services.web.probe.interval: expects a duration such as"
                + " 500ms, 10s, 2m or 1h, was 'fast'\n");
    }

    @Test
    void aMissingFileOtherFlagsOrNoFileAreUsageErrors() {
        assertThat(prepare("--config", dir.resolve("none.yaml").toString()).exitStatus()).isEqualTo(2);
        assertThat(err()).contains("cannot read").contains("none.yaml");
        assertThat(prepare("--config", "longshore.yaml", "--port", "9000").exitStatus()).isEqualTo(2);
        assertThat(err()).contains("--port does not go with --config", "usage:");
        assertThat(prepare("--check").exitStatus()).isEqualTo(2);
        assertThat(err()).contains("--check needs --config FILE");
        assertThat(prepare("--config", "a.yaml", "--config", "b.yaml").exitStatus()).isEqualTo(2);
        assertThat(err()).contains("--config is given twice");
    }

    @Test
    void theConfigModeIsWantedOnlyWithConfig() {
        assertThat(ConfigMain.wanted("--config", "x.yaml")).isTrue();
        assertThat(ConfigMain.wanted("--config=x.yaml")).isTrue();
        assertThat(ConfigMain.wanted("--port", "9000", "--check")).isFalse();
    }
}
