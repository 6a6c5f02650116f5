package io.longshore.examples.seed;

import io.longshore.api.OrchestratorEvent;
import io.longshore.api.OrchestratorListener;
import java.lang.reflect.RecordComponent;
import java.util.StringJoiner;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one line per orchestrator event: its type, then each of its fields as
 * {@code name=value} (the time is the log line's own). A scaling decision that keeps the count is
 * not logged (target tracking decides every two seconds; {@code /status} shows the last one).
 * Thread-safe; stateless.
 */
public final class EventLogger implements OrchestratorListener {
    private static final Logger LOG = LoggerFactory.getLogger("longshore.events");

    private final Consumer<String> sink;

    /** Logs to SLF4J at info level. */
    public EventLogger() {
        this(LOG::info);
    }

    /** Hands each line to {@code sink}. */
    EventLogger(Consumer<String> sink) {
        this.sink = sink;
    }

    @Override
    public void onEvent(OrchestratorEvent event) {
        if (event instanceof OrchestratorEvent.ScalingDecided decided && decided.from() == decided.to()) {
            return;
        }
        sink.accept(describe(event));
    }

    /** {@code ReplicaStarted service=acts replicaId=… containerId=… port=8000}. */
    static String describe(OrchestratorEvent event) {
        StringJoiner line = new StringJoiner(" ");
        line.add(event.type());
        for (RecordComponent component : event.getClass().getRecordComponents()) {
            if (component.getName().equals("at")) {
                continue;
            }
            line.add(component.getName() + "=" + value(component, event));
        }
        return line.toString();
    }

    private static Object value(RecordComponent component, OrchestratorEvent event) {
        try {
            return component.getAccessor().invoke(event);
        } catch (ReflectiveOperationException e) {
            return "?";
        }
    }
}
