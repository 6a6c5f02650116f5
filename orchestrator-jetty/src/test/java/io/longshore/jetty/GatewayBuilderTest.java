package io.longshore.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longshore.api.ConfigurationException;
import io.longshore.jetty.internal.admin.AdminHandler;
import io.longshore.testkit.ScriptedBackend;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the builder accepts, refuses, and tells about each mode's settings. */
class GatewayBuilderTest {

    @Test
    void aBearerTokenNoHttpClientCouldSendIsRefused() {
        for (String token : new String[] {"p\u00e4ss", "t\u00f6ken", "two words", "tab\there", "emoji\uD83D\uDE00"}) {
            assertThatThrownBy(() -> Gateway.builder().bearerToken(token)).as(token)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bearerToken")
                    .hasMessageContaining("visible ASCII");
        }
        Gateway.builder().bearerToken("a-Z_0.9~+/=!");
    }

    @Test
    void theBuilderNamesEveryBadSetting() {
        GatewayBuilder builder = Gateway.builder();

        assertThatThrownBy(() -> builder.port(-1)).hasMessageContaining("port");
        assertThatThrownBy(() -> builder.adminPort(70_000)).hasMessageContaining("adminPort");
        assertThatThrownBy(() -> builder.retryBudget(1.5)).hasMessageContaining("retryBudget");
        assertThatThrownBy(() -> builder.maxConcurrentRequests(0)).hasMessageContaining("maxConcurrentRequests");
        assertThatThrownBy(() -> builder.responseTimeout(Duration.ZERO)).hasMessageContaining("responseTimeout");
        assertThatThrownBy(() -> builder.bearerToken(" ")).hasMessageContaining("bearerToken");
        assertThatThrownBy(() -> builder.random(null)).hasMessageContaining("random");
        assertThatThrownBy(() -> builder.busyPoll(Duration.ofNanos(-1))).hasMessageContaining("busyPoll");
        assertThatThrownBy(() -> builder.busyPoll(Duration.ofMillis(2))).hasMessageContaining("busyPoll");
        assertThatThrownBy(() -> Tls.builder().reloadInterval(Duration.ZERO)).hasMessageContaining("reloadInterval");
        assertThatThrownBy(() -> Tls.builder().reloadInterval(Duration.ofDays(36_501)))
                .hasMessageContaining("reloadInterval").hasMessageContaining("100 years");
        assertThatThrownBy(() -> builder.route("api", "svc", new RoundRobinTestRouter()))
                .hasMessageContaining("prefix");
        assertThatThrownBy(builder::build).isInstanceOf(ConfigurationException.class).hasMessageContaining("route");
        assertThatThrownBy(() -> Gateway.builder().router(new RoundRobinTestRouter())
                .router(new RoundRobinTestRouter()).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("prefix");
    }

    @Test
    void theAdminApiWaitsTenSecondsForARequestBodyUnlessToldOtherwise() {
        Gateway gateway = Gateway.builder().router(new RoundRobinTestRouter()).build();
        try {
            assertThat(gateway.config().adminBodyDeadline()).isEqualTo(Duration.ofSeconds(10))
                    .isEqualTo(AdminHandler.DEFAULT_BODY_DEADLINE);
        } finally {
            gateway.close();
        }
        assertThatThrownBy(() -> Gateway.builder().adminBodyDeadline(Duration.ZERO))
                .hasMessageContaining("adminBodyDeadline");
        assertThatThrownBy(() -> Gateway.builder().adminBodyDeadline(null)).hasMessageContaining("adminBodyDeadline");
    }

    static List<Arguments> standaloneOnlySettings() {
        return List.of(
                Arguments.of("host", (UnaryOperator<GatewayBuilder>) b -> b.host("127.0.0.1"), "ServerConnector.setHost"),
                Arguments.of("port", (UnaryOperator<GatewayBuilder>) b -> b.port(0), "ServerConnector.setPort"),
                Arguments.of("adminHost", (UnaryOperator<GatewayBuilder>) b -> b.adminHost("127.0.0.1"), "adminHandler()"),
                Arguments.of("adminPort", (UnaryOperator<GatewayBuilder>) b -> b.adminPort(0), "adminHandler()"),
                Arguments.of("adminEnabled", (UnaryOperator<GatewayBuilder>) b -> b.adminEnabled(false), "adminHandler()"),
                Arguments.of("ioThreads", (UnaryOperator<GatewayBuilder>) b -> b.ioThreads(2), "thread pool"),
                Arguments.of("maxHeaderBytes", (UnaryOperator<GatewayBuilder>) b -> b.maxHeaderBytes(4096),
                        "HttpConfiguration.setRequestHeaderSize"),
                Arguments.of("clientIdleTimeout", (UnaryOperator<GatewayBuilder>) b -> b.clientIdleTimeout(Duration.ofSeconds(1)),
                        "ServerConnector.setIdleTimeout"),
                Arguments.of("requestHeadTimeout", (UnaryOperator<GatewayBuilder>) b -> b.requestHeadTimeout(
                        Duration.ofSeconds(1)), "not a trickling one"),
                Arguments.of("busyPoll", (UnaryOperator<GatewayBuilder>) b -> b.busyPoll(Duration.ZERO),
                        "sleep in select()"),
                Arguments.of("http2", (UnaryOperator<GatewayBuilder>) b -> b.http2(true),
                        "GatewayHttp2.cleartext"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("standaloneOnlySettings")
    void anEmbeddedGatewayRefusesEachSettingOfTheStandaloneConnectorsAndSaysWhereTheHostSetsIt(
            String setting, UnaryOperator<GatewayBuilder> set, String hostSetting) {
        GatewayBuilder builder = set.apply(Gateway.builder().router(new RoundRobinTestRouter()).embedded());

        assertThatThrownBy(builder::build).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("embedded").hasMessageContaining(setting).hasMessageContaining(hostSetting);
    }

    @Test
    void anEmbeddedGatewayNamesEveryRefusedSettingAtOnce() {
        GatewayBuilder builder = Gateway.builder().router(new RoundRobinTestRouter()).port(0).maxHeaderBytes(4096)
                .embedded();

        assertThatThrownBy(builder::build).hasMessageContaining("port, maxHeaderBytes cannot apply");
    }

    @Test
    void anEmbeddedGatewayTakesEveryForwardingSetting() {
        Gateway gateway = Gateway.builder().router(new RoundRobinTestRouter()).embedded()
                .responseTimeout(Duration.ofSeconds(1)).connectTimeout(Duration.ofSeconds(1))
                .maxRequestBodyBytes(10).maxConcurrentRequests(3).connectionsPerBackend(2).retryBudget(0.5)
                .maxRetryBackoff(Duration.ofMillis(5)).shutdownTimeout(Duration.ofSeconds(1)).bearerToken("t")
                .clock(io.longshore.api.Clock.system()).random(new java.util.SplittableRandom(1)).build();

        assertThat(gateway.handler()).isNotNull();
        assertThat(gateway.port()).isEqualTo(-1);
    }

    @Test
    void aStandaloneGatewayHasNoHandlerToMount() {
        Gateway gateway = Gateway.builder().router(new RoundRobinTestRouter()).port(0).build();

        assertThatThrownBy(gateway::handler).isInstanceOf(IllegalStateException.class).hasMessageContaining("embedded()");
        assertThat(gateway.adminHandler()).isNotNull();
    }

    @Test
    void startFailsWithAClearErrorWhenThePortIsTaken() {
        try (ScriptedBackend backend = ScriptedBackend.answering("ok");
             Gateway first = Gateway.builder().port(0).adminEnabled(false)
                     .router(new RoundRobinTestRouter(backend.port())).build().start()) {
            Gateway second = Gateway.builder().port(first.port()).adminEnabled(false)
                    .router(new RoundRobinTestRouter(backend.port())).build();

            assertThatThrownBy(second::start).hasMessageContaining("failed to start on 127.0.0.1:" + first.port());
        }
    }
}
