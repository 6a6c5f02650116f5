package io.longshore.examples.acts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ActsMainSettingsTest {

    @Test
    void theEnvironmentGivesPortHostAndReplicaId() {
        ActsMain.Settings settings = ActsMain.Settings.parse(new String[0],
                Map.of("PORT", "8000", "BIND_HOST", "0.0.0.0", "REPLICA_ID", "r1"));

        assertThat(settings).isEqualTo(new ActsMain.Settings("0.0.0.0", 8000, "r1", false));
    }

    @Test
    void bindHostWinsOverHostAndLoopbackIsTheDefault() {
        assertThat(ActsMain.Settings.parse(new String[0], Map.of("PORT", "1", "HOST", "127.0.0.2")).host())
                .isEqualTo("127.0.0.2");
        assertThat(ActsMain.Settings.parse(new String[0],
                Map.of("PORT", "1", "HOST", "127.0.0.2", "BIND_HOST", "127.0.0.3")).host()).isEqualTo("127.0.0.3");
        assertThat(ActsMain.Settings.parse(new String[0], Map.of("PORT", "1")).host()).isEqualTo("127.0.0.1");
    }

    @Test
    void flagsOverrideTheEnvironment() {
        ActsMain.Settings settings = ActsMain.Settings.parse(
                new String[] {"--port", "9000", "--replica-id", "r2"}, Map.of("PORT", "8000"));

        assertThat(settings).isEqualTo(new ActsMain.Settings("127.0.0.1", 9000, "r2", false));
    }

    @Test
    void aMissingOrBadPortIsAClearError() {
        assertThatThrownBy(() -> ActsMain.Settings.parse(new String[0], Map.of()))
                .hasMessageContaining("PORT");
        assertThatThrownBy(() -> ActsMain.Settings.parse(new String[] {"--port", "eighty"}, Map.of()))
                .hasMessageContaining("eighty");
        assertThatThrownBy(() -> ActsMain.Settings.parse(new String[] {"--port", "70000"}, Map.of()))
                .hasMessageContaining("70000");
    }

    @Test
    void anUnknownFlagIsAClearError() {
        assertThatThrownBy(() -> ActsMain.Settings.parse(new String[] {"--colour", "red"}, Map.of("PORT", "1")))
                .hasMessageContaining("--colour");
    }
}
