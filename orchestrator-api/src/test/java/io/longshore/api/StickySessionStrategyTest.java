package io.longshore.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StickySessionStrategyTest {
    private final List<Backend> candidates = TestBackend.many(4);
    private final LoadBalancingStrategy sticky = LoadBalancingStrategy.stickySessions("lb",
            LoadBalancingStrategy.roundRobin());

    private static RouteRequest withCookie(String cookie) {
        return TestRequest.withHeader("Cookie", cookie);
    }

    @Test
    void aRequestWhoseCookieNamesACandidateGoesToIt() {
        for (int i = 0; i < 10; i++) {
            assertThat(sticky.choose(candidates, withCookie("theme=dark; lb=b2"))).isEqualTo(2);
        }
    }

    @Test
    void aRequestWithoutTheCookieOrNamingNoCandidateGoesWhereTheOtherStrategySendsIt() {
        assertThat(Picks.count(sticky, candidates, 8)).containsExactly(2, 2, 2, 2);
        assertThat(Picks.count(sticky, candidates, withCookie("lb=gone"), 8)).containsExactly(2, 2, 2, 2);
    }

    @Test
    void aRetryAwayFromTheStuckCandidateIsRoutedByTheOtherStrategy() {
        for (int i = 0; i < 10; i++) {
            assertThat(sticky.chooseExcept(candidates, withCookie("lb=b2"), 2)).isNotEqualTo(2);
        }
    }

    @Test
    void itTellsTheGatewayItsCookieAndNamesBoth() {
        assertThat(sticky.stickyCookie()).contains("lb");
        assertThat(sticky).hasToString("sticky(lb, round-robin)");
        assertThat(LoadBalancingStrategy.roundRobin().stickyCookie()).isEqualTo(Optional.empty());
        assertThatThrownBy(() -> LoadBalancingStrategy.stickySessions("l;b", LoadBalancingStrategy.roundRobin()))
                .hasMessageContaining("cookie must be a token");
    }
}
