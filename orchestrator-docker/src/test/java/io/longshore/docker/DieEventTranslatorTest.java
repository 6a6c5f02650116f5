package io.longshore.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventActor;
import io.longshore.api.RuntimeEvent;
import io.longshore.testkit.ManualClock;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DieEventTranslatorTest {
    private static final String ID = "c0ffee";

    private final ManualClock clock = new ManualClock();
    private final RecentIds requestedStops = new RecentIds();

    private DieEventTranslator translator(Set<String> oomKilled) {
        return new DieEventTranslator(clock, requestedStops, oomKilled::contains);
    }

    private static Event event(String action, String exitCode) {
        EventActor actor = new EventActor().withId(ID)
                .withAttributes(exitCode == null ? Map.of() : Map.of("exitCode", exitCode));
        return new Event().withAction(action).withEventActor(actor);
    }

    @Test
    void anOomEventIsNoExitBecauseTheKernelMayHaveKilledAChildTheContainerSurvives() {
        assertThat(translator(Set.of(ID)).translate(event("oom", null))).isEmpty();
    }

    @Test
    void aDieAfterAnOomOfAChildIsReportedAsAnExitWithItsOwnCode() {
        DieEventTranslator translator = translator(Set.of(ID));
        translator.translate(event("oom", null));

        assertThat(translator.translate(event("die", "3"))).hasValueSatisfying(exit -> {
            assertThat(exit.kind()).isEqualTo(RuntimeEvent.Kind.EXITED);
            assertThat(exit.exitCode()).isEqualTo(3);
        });
    }

    @Test
    void aDieBySigkillOfAContainerTheEngineCallsOomKilledIsAnOomKill() {
        assertThat(translator(Set.of(ID)).translate(event("die", "137")))
                .hasValueSatisfying(exit -> assertThat(exit.kind()).isEqualTo(RuntimeEvent.Kind.OOM_KILLED));
    }

    @Test
    void aDieBySigkillWithoutOomIsAnExit() {
        assertThat(translator(Set.of()).translate(event("die", "137")))
                .hasValueSatisfying(exit -> assertThat(exit.kind()).isEqualTo(RuntimeEvent.Kind.EXITED));
    }

    @Test
    void aContainerDiesOnceEvenIfTheEngineRepeatsTheEvent() {
        DieEventTranslator translator = translator(Set.of());

        assertThat(translator.translate(event("die", "1"))).isPresent();
        assertThat(translator.translate(event("die", "1"))).isEmpty();
    }

    @Test
    void aRequestedStopIsNoCrash() {
        requestedStops.add(ID);

        assertThat(translator(Set.of()).translate(event("die", "143"))).isEmpty();
    }
}
