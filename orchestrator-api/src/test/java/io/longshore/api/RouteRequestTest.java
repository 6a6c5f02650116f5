package io.longshore.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.internal.Cookies;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteRequestTest {

    @Test
    void aCookieIsFoundAmongOthersWithItsQuotesAndSpacesRemoved() {
        assertThat(Cookies.value("a=1; lb=b2; c=3", "lb")).hasToString("b2");
        assertThat(Cookies.value("lb = \"b2\" ;a=1", "lb")).hasToString("b2");
        assertThat(Cookies.value("xlb=1; lb=", "lb")).hasToString("");
        assertThat(Cookies.value("xlb=1; alb=2", "lb")).isNull();
        assertThat(Cookies.value("novalue; lb", "lb")).isNull();
        assertThat(Cookies.value(null, "lb")).isNull();
    }

    @Test
    void theViewsDefaultToTheStringMethods() {
        RouteRequest request = new TestRequest("/p", Map.of("Cookie", "s=1", "X-A", "b"), null);

        assertThat(request.pathView()).hasToString("/p");
        assertThat(request.headerView("x-a")).hasToString("b");
        assertThat(request.cookieView("s")).hasToString("1");
        assertThat(request.cookieView("t")).isNull();
        assertThat(RouteRequest.of("GET", "/").cookieView("s")).isNull();
    }

    @Test
    void theDefaultRetryPickHandsTheStrategyTheListWithoutTheExcludedCandidate() {
        List<Backend> candidates = TestBackend.many(4);
        LoadBalancingStrategy last = (list, request) -> list.size() - 1;
        LoadBalancingStrategy none = (list, request) -> LoadBalancingStrategy.NONE;
        LoadBalancingStrategy outside = (list, request) -> list.size();

        assertThat(last.chooseExcept(candidates, Picks.GET, 3)).isEqualTo(2);
        assertThat(last.chooseExcept(candidates, Picks.GET, 1)).isEqualTo(3);
        assertThat(last.chooseExcept(candidates, Picks.GET, -1)).isEqualTo(3);
        assertThat(none.chooseExcept(candidates, Picks.GET, 0)).isEqualTo(LoadBalancingStrategy.NONE);
        assertThat(outside.chooseExcept(candidates, Picks.GET, 0)).as("still outside").isEqualTo(4);
        assertThat(last.chooseExcept(TestBackend.many(1), Picks.GET, 0)).isEqualTo(LoadBalancingStrategy.NONE);
    }
}
