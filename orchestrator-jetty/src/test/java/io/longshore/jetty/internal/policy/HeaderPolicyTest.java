package io.longshore.jetty.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which fields cross the gateway, for both transports. */
class HeaderPolicyTest {

    @Test
    void hopByHopFieldsNeverCrossInEitherDirectionWhateverTheirCase() {
        for (String name : List.of("Connection", "keep-alive", "TE", "Transfer-Encoding", "Upgrade",
                "Proxy-Authorization", "proxy-connection", "Proxy-Anything")) {
            assertThat(HeaderPolicy.forwardsRequestField(name)).as(name).isFalse();
            assertThat(HeaderPolicy.forwardsResponseField(name)).as(name).isFalse();
        }
    }

    @Test
    void trailerAnnouncesTheTrailerFieldsEndToEndSoItCrossesBothWays() {
        // RFC 9110 6.6.2 and 7.6.1: not connection-specific (RFC 2616's hop-by-hop "Trailers" was another name)
        assertThat(HeaderPolicy.forwardsRequestField("Trailer")).isTrue();
        assertThat(HeaderPolicy.forwardsResponseField("trailer")).isTrue();
    }

    @Test
    void theFieldsTheGatewayWritesItselfAreDroppedFromRequestsButNotFromResponses() {
        for (String name : List.of("Host", "Expect", "Content-Length", "X-Forwarded-For", "X-Forwarded-Proto",
                "X-Forwarded-Host", "Via")) {
            assertThat(HeaderPolicy.forwardsRequestField(name)).as(name).isFalse();
            assertThat(HeaderPolicy.forwardsResponseField(name)).as(name).isTrue();
        }
        assertThat(HeaderPolicy.forwardsRequestField("X-Custom")).isTrue();
    }

    @Test
    void viaNamesTheClientsVersionAndListsAreAppendedTo() {
        assertThat(HeaderPolicy.via(false)).isEqualTo("1.1 longshore");
        assertThat(HeaderPolicy.via(true)).isEqualTo("1.0 longshore");
        assertThat(HeaderPolicy.append(null, "10.0.0.1")).isEqualTo("10.0.0.1");
        assertThat(HeaderPolicy.append("1.1 edge", "1.1 longshore")).isEqualTo("1.1 edge, 1.1 longshore");
        assertThat(HeaderPolicy.forwardedProto(false)).isEqualTo("http");
        assertThat(HeaderPolicy.forwardedProto(true)).isEqualTo("https");
    }
}
