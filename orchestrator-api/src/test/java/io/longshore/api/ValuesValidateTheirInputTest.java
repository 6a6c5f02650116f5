package io.longshore.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ValuesValidateTheirInputTest {

    @Test
    void endpointParsesHostAndPortAndRejectsGarbage() {
        assertThat(Endpoint.parse("127.0.0.1:8000")).isEqualTo(Endpoint.loopback(8000));
        assertThat(Endpoint.parse("localhost:80").host()).isEqualTo("localhost");
        assertThatThrownBy(() -> Endpoint.parse("nohost")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> Endpoint.parse("h:notaport")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> Endpoint.parse("h:0")).hasMessageContaining("port must be in 1..65535");
        assertThatThrownBy(() -> Endpoint.parse(":80")).hasMessageContaining("host:port");
    }

    @Test
    void endpointAuthorityBracketsIpv6LiteralsOnce() {
        assertThat(Endpoint.loopback(8000).authority()).isEqualTo("127.0.0.1:8000");
        assertThat(new Endpoint("::1", 80).authority()).isEqualTo("[::1]:80");
        assertThat(Endpoint.parse("[::1]:80").authority()).isEqualTo("[::1]:80");
    }

    @Test
    void containerSpecNeedsAnImageOrACommand() {
        assertThatThrownBy(() -> ContainerSpec.builder("svc").build())
                .hasMessageContaining("image or a command");
        assertThat(ContainerSpec.builder("svc").command("true").build().command()).containsExactly("true");
    }

    @Test
    void containerSpecBuilderNamesTheBadParameter() {
        ContainerSpec.Builder builder = ContainerSpec.builder("svc");
        assertThatThrownBy(() -> builder.memoryBytes(-1)).hasMessageContaining("memoryBytes");
        assertThatThrownBy(() -> builder.cpus(Double.NaN)).hasMessageContaining("cpus");
        assertThatThrownBy(() -> builder.stopGrace(Duration.ofSeconds(-1))).hasMessageContaining("stopGrace");
        assertThatThrownBy(() -> builder.stopGrace(Duration.ofDays(36_501)))
                .hasMessageContaining("stopGrace").hasMessageContaining("100 years");
        assertThatThrownBy(() -> builder.containerPort(70_000)).hasMessageContaining("containerPort");
        assertThatThrownBy(() -> ContainerSpec.builder(" ")).hasMessageContaining("service");
    }

    @Test
    void containerSpecRefusesWhatNoRuntimeCouldStart() {
        assertThatThrownBy(() -> ContainerSpec.builder("svc").command("true").env("A=B", "x").build())
                .hasMessageContaining("env name must not contain '='").hasMessageContaining("A=B");
        assertThatThrownBy(() -> ContainerSpec.builder("svc").command("true").env("A", "a\0b").build())
                .hasMessageContaining("env value of 'A' must not contain NUL");
        assertThatThrownBy(() -> ContainerSpec.builder("svc").command("true", "a\0b").build())
                .hasMessageContaining("command[1] must not contain NUL");
        assertThatThrownBy(() -> ContainerSpec.builder("svc").command("").build())
                .hasMessageContaining("command[0]");
        // an image's arguments may be empty strings; its name may hold what a shell would quote
        assertThat(ContainerSpec.builder("svc").image("img").command("").build().command()).containsExactly("");
        assertThat(ContainerSpec.builder("svc").command("true").env("A.B-c", "x=y").build().env())
                .containsEntry("A.B-c", "x=y");
    }

    @Test
    void containerSpecToBuilderDerivesAnEqualVariant() {
        ContainerSpec spec = ContainerSpec.builder("svc").image("img:1").env("A", "1").label("l", "v")
                .memoryBytes(64 << 20).cpus(0.5).network(ContainerSpec.NetworkMode.BRIDGE).containerPort(80)
                .pullPolicy(ContainerSpec.PullPolicy.NEVER).build();
        assertThat(spec.toBuilder().build()).isEqualTo(spec);
        assertThat(spec.toBuilder().env("B", "2").build().env()).containsEntry("A", "1").containsEntry("B", "2");
    }

    @Test
    void scalingRuleRejectsAFactorThatCannotScale() {
        assertThatThrownBy(() -> new ScalingRule(Metric.REQUEST_RATE, Duration.ofSeconds(10), 5,
                ScalingRule.Action.SCALE_OUT, 1.0, Duration.ZERO)).hasMessageContaining("factor must be > 1");
    }

    @Test
    void scalingContextRejectsMinAboveMax() {
        assertThatThrownBy(() -> new ScalingContext(1, 1, 3, 2, java.time.Instant.EPOCH,
                java.util.Optional.empty(), java.util.Optional.empty(), (m, w) -> 0))
                .hasMessageContaining("min <= max");
    }

    @Test
    void anEndpointComesWithEndpointAssignedEventsAndOnlyWithThem() {
        java.time.Instant at = java.time.Instant.EPOCH;
        RuntimeEvent assigned = RuntimeEvent.endpointAssigned("pod-1", Endpoint.loopback(9000), at);

        assertThat(assigned.kind()).isEqualTo(RuntimeEvent.Kind.ENDPOINT_ASSIGNED);
        assertThat(assigned.endpoint()).isEqualTo(Endpoint.loopback(9000));
        assertThat(assigned.isExit()).isFalse();
        assertThat(new RuntimeEvent("c", RuntimeEvent.Kind.EXITED, 1, at).isExit()).isTrue();
        assertThatThrownBy(() -> new RuntimeEvent("c", RuntimeEvent.Kind.ENDPOINT_ASSIGNED, -1, at))
                .hasMessageContaining("an endpoint comes with ENDPOINT_ASSIGNED");
        assertThatThrownBy(() -> new RuntimeEvent("c", RuntimeEvent.Kind.EXITED, 1, at, Endpoint.loopback(1)))
                .hasMessageContaining("an endpoint comes with ENDPOINT_ASSIGNED");
    }

    @Test
    void aContainerMayComeWithoutAnEndpointAndGetItLater() {
        ContainerInfo pending = ContainerInfo.withoutEndpoint("pod-1", java.util.Map.of("a", "b"), true,
                java.time.Instant.EPOCH);

        assertThat(pending.hasEndpoint()).isFalse();
        assertThat(pending.endpoint()).isNull();
        ContainerInfo placed = pending.withEndpoint(Endpoint.loopback(9000));
        assertThat(placed.hasEndpoint()).isTrue();
        assertThat(placed).usingRecursiveComparison().ignoringFields("endpoint").isEqualTo(pending);
        assertThatThrownBy(() -> pending.withEndpoint(null)).isInstanceOf(NullPointerException.class);
    }
}
