package io.longshore.jetty.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.core.Lease;
import org.junit.jupiter.api.Test;

/** Which answer the gateway gives itself in which situation, for both transports. */
class GatewayReplyTest {

    @Test
    void everyReplyIsOneLineOfTextAndOnlyThe503sAskTheClientToRetry() {
        for (GatewayReply reply : GatewayReply.values()) {
            assertThat(reply.body()).endsWith("\n").doesNotContain("\r").hasLineCount(1);
            assertThat(reply.retryAfter()).as(reply.name()).isEqualTo(reply.status() == 503);
            assertThat(reply.reason()).as(reply.name()).isNotEqualTo("Error");
        }
    }

    @Test
    void aFailedAttemptThatCannotBeRetriedIsA504WhenItTimedOutAndA502Otherwise() {
        assertThat(GatewayReply.forFailure(Lease.Failure.TIMEOUT).status()).isEqualTo(504);
        assertThat(GatewayReply.forFailure(Lease.Failure.RESET).status()).isEqualTo(502);
        assertThat(GatewayReply.forFailure(Lease.Failure.CONNECT)).isEqualTo(GatewayReply.NO_REPLICA_ACCEPTED);
        assertThat(GatewayReply.statusOf(Lease.Failure.TIMEOUT)).isEqualTo(504);
        assertThat(GatewayReply.statusOf(Lease.Failure.RESET)).isEqualTo(502);
    }

    @Test
    void aRetryThatFindsNoOtherReplicaAnswersWithTheStatusThatStartedIt() {
        assertThat(GatewayReply.noOtherReplica(503).status()).isEqualTo(503);
        assertThat(GatewayReply.noOtherReplica(504).status()).isEqualTo(504);
        assertThat(GatewayReply.noOtherReplica(502).status()).isEqualTo(502);
    }

    @Test
    void aRefusedHeadGetsTheAnswerForItsStatus() {
        assertThat(GatewayReply.forParseError(414)).isEqualTo(GatewayReply.URI_TOO_LONG);
        assertThat(GatewayReply.forParseError(431)).isEqualTo(GatewayReply.HEADERS_TOO_LARGE);
        assertThat(GatewayReply.forParseError(501)).isEqualTo(GatewayReply.UNSUPPORTED);
        assertThat(GatewayReply.forParseError(505)).isEqualTo(GatewayReply.VERSION_NOT_SUPPORTED);
        assertThat(GatewayReply.forParseError(417)).isEqualTo(GatewayReply.EXPECTATION_FAILED);
        assertThat(GatewayReply.forParseError(400)).isEqualTo(GatewayReply.BAD_REQUEST);
    }
}
