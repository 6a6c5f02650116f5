package io.longshore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longshore.api.Endpoint;
import org.junit.jupiter.api.Test;

class StaticGatewayMainTest {

    @Test
    void commandLineOfTheSeedMainIsUnderstood() {
        StaticGatewayMain.Options options = StaticGatewayMain.Options.parse(
                "--static-backends", "127.0.0.1:25001, 127.0.0.1:25002", "--port", "25010", "--admin-port", "25011");

        assertThat(options.backends()).containsExactly(Endpoint.loopback(25001), Endpoint.loopback(25002));
        assertThat(options.port()).isEqualTo(25010);
        assertThat(options.adminPort()).isEqualTo(25011);
    }

    @Test
    void theEmbeddedModeIsChosenByNameAndTakesNoAdminPort() {
        assertThat(StaticGatewayMain.Options.parse("--static-backends", "127.0.0.1:25001", "--port", "0", "--mode",
                "embedded").embedded()).isTrue();
        assertThat(StaticGatewayMain.Options.parse("--static-backends", "127.0.0.1:25001", "--port", "0", "--mode",
                "standalone").embedded()).isFalse();
        assertThatThrownBy(() -> StaticGatewayMain.Options.parse("--static-backends", "127.0.0.1:1", "--port", "1",
                "--mode", "inline")).hasMessageContaining("--mode is standalone or embedded");
        assertThatThrownBy(() -> StaticGatewayMain.Options.parse("--static-backends", "127.0.0.1:1", "--port", "1",
                "--mode", "embedded", "--admin-port", "2")).hasMessageContaining("standalone mode only");
    }

    @Test
    void http2AndTheBusyPollWindowAreSetForTheStandaloneMode() {
        StaticGatewayMain.Options options = StaticGatewayMain.Options.parse("--static-backends", "127.0.0.1:25001",
                "--port", "0", "--http2", "true", "--busy-poll-us", "0");
        assertThat(options.http2()).isTrue();
        assertThat(options.busyPoll()).isEqualTo(java.time.Duration.ZERO);
        StaticGatewayMain.Options defaults = StaticGatewayMain.Options.parse("--static-backends", "127.0.0.1:25001",
                "--port", "0");
        assertThat(defaults.http2()).isFalse();
        assertThat(defaults.busyPoll()).isEqualTo(io.longshore.jetty.Gateway.DEFAULT_BUSY_POLL);
        assertThatThrownBy(() -> StaticGatewayMain.Options.parse("--static-backends", "127.0.0.1:1", "--port", "1",
                "--http2", "yes")).hasMessageContaining("--http2 is true or false");
        assertThatThrownBy(() -> StaticGatewayMain.Options.parse("--static-backends", "127.0.0.1:1", "--port", "1",
                "--mode", "embedded", "--http2", "true")).hasMessageContaining("standalone mode only");
    }

    @Test
    void adminPortIsOptional() {
        assertThat(StaticGatewayMain.Options.parse("--static-backends", "127.0.0.1:25001", "--port", "0").adminPort())
                .isNegative();
    }

    @Test
    void missingBackendsOrUnknownOptionsAreRejectedWithTheUsage() {
        assertThatThrownBy(() -> StaticGatewayMain.Options.parse("--port", "25010"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("usage");
        assertThatThrownBy(() -> StaticGatewayMain.Options.parse("--static-backends", "127.0.0.1:1", "--port", "1", "--x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StaticGatewayMain.Options.parse("--threads", "4"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--threads");
    }
}
