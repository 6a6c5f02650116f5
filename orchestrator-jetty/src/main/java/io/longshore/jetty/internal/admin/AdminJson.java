package io.longshore.jetty.internal.admin;

import io.longshore.api.OrchestratorEvent;
import io.longshore.core.OrchestratorStatus;
import io.longshore.core.ReplicaView;
import io.longshore.core.RolloutStatus;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The admin API's JSON shapes, as plain maps for Jackson. Stateless. */
public final class AdminJson {
    private AdminJson() {
    }

    public static List<Map<String, Object>> replicas(List<ReplicaView> replicas) {
        List<Map<String, Object>> out = new ArrayList<>(replicas.size());
        for (ReplicaView r : replicas) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("containerId", r.containerId());
            m.put("port", r.port());
            m.put("state", r.state().name());
            m.put("healthy", r.healthy());
            m.put("requests", r.requests());
            m.put("inFlight", r.inFlight());
            m.put("startedAt", r.startedAt() == null ? null : r.startedAt().toString());
            m.put("restarts", r.restarts());
            m.put("endpoint", r.endpoint() == null ? null : r.endpoint().authority());
            m.put("specHash", r.specHash());
            m.put("weight", r.weight());
            out.add(m);
        }
        return out;
    }

    public static Map<String, Object> status(OrchestratorStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("service", s.service());
        m.put("desired", s.desired());
        m.put("ready", s.ready());
        m.put("min", s.min());
        m.put("max", s.max());
        m.put("strategy", s.strategy());
        m.put("policy", s.policy());
        m.put("lastScaling", s.lastScaling().map(AdminJson::scaling).orElse(null));
        m.put("lastDecision", s.lastDecision().map(AdminJson::decision).orElse(null));
        return m;
    }

    /** The scaling policy's last decision with its inputs; NaN figures as null. */
    private static Map<String, Object> decision(OrchestratorEvent.ScalingDecided d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", d.at().toString());
        m.put("trigger", d.trigger());
        m.put("from", d.from());
        m.put("to", d.to());
        m.put("metric", d.metric());
        m.put("observed", number(d.observed()));
        m.put("target", number(d.target()));
        m.put("window", d.window().toString());
        m.put("mode", d.mode());
        m.put("recommendation", d.recommendation());
        m.put("clamps", d.clamps());
        return m;
    }

    private static Double number(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? null : value;
    }

    /** Exactly {@code state}, {@code fromSpec}, {@code toSpec}, {@code updated}, {@code total}, {@code reason}. */
    static Map<String, Object> rollout(RolloutStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", s.state().name());
        m.put("fromSpec", s.fromSpec());
        m.put("toSpec", s.toSpec());
        m.put("updated", s.updated());
        m.put("total", s.total());
        m.put("reason", s.reason());
        return m;
    }

    private static Map<String, Object> scaling(OrchestratorStatus.Scaling scaling) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", scaling.at() == null ? null : scaling.at().toString());
        m.put("from", scaling.from());
        m.put("to", scaling.to());
        m.put("reason", scaling.reason());
        return m;
    }

    /** {@code time}, {@code type}, then every other component of the event record. */
    public static List<Map<String, Object>> events(List<OrchestratorEvent> events) {
        List<Map<String, Object>> out = new ArrayList<>(events.size());
        for (OrchestratorEvent event : events) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("time", event.at().toString());
            m.put("type", event.type());
            for (RecordComponent component : event.getClass().getRecordComponents()) {
                if (!component.getName().equals("at")) {
                    m.put(component.getName(), plain(read(component, event)));
                }
            }
            out.add(m);
        }
        return out;
    }

    private static Object read(RecordComponent component, Object record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static Object plain(Object value) {
        if (value instanceof Instant || value instanceof Duration) {
            return value.toString();
        }
        if (value instanceof Double number) {
            return number(number);
        }
        return value;
    }
}
