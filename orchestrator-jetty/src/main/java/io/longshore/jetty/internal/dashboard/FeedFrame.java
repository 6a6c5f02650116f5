package io.longshore.jetty.internal.dashboard;

import io.longshore.api.OrchestratorEvent;
import io.longshore.core.OrchestratorStatus;
import io.longshore.core.ReplicaView;
import io.longshore.jetty.internal.admin.AdminJson;
import io.longshore.jetty.internal.metrics.LoadWindow;
import io.longshore.jetty.internal.routing.StaticServiceView;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One frame of the live feed for one service: takes its status, replicas and recent events,
 * records the counts and new scaling decisions in its {@link ServiceHistory}, and shapes them as
 * the stream's JSON (only while a stream is open). Stateless; runs on the feed's thread.
 */
final class FeedFrame {
    /** Latest events per service in a frame. */
    static final int EVENTS = 20;
    /** Recent events scanned for new scaling decisions. */
    static final int EVENTS_SCANNED = 256;

    private FeedFrame() {
    }

    /**
     * Records {@code service}'s counts and new scaling decisions as of {@code now} in its
     * {@code history}: the part of a frame that must go on while no stream is open, so a page
     * opened later still gets the history. (The gateway's own sweeper drops gone replicas' meters.)
     */
    static Sample record(LiveService service, ServiceHistory history, Instant now) {
        OrchestratorStatus status = service.view().status();
        List<ReplicaView> replicas = service.view().replicas();
        List<OrchestratorEvent> events = service.view().recentEvents(EVENTS_SCANNED);
        history.sample(now, status.desired(), status.ready());
        history.scalings(events);
        return new Sample(status, replicas, events);
    }

    /**
     * {@code {"service","prefix","fixedBackends","status","replicas":[… + requestsPerSecond, p50Ms, p99Ms],
     * "history","events"}} as of {@code now} (wall clock) and {@code nowNanos} (the gateway clock),
     * after {@link #record recording} the service's counts in its history.
     */
    static Map<String, Object> capture(LiveService service, ServiceHistory history, Instant now, long nowNanos) {
        Sample sample = record(service, history, now);
        List<Map<String, Object>> replicaJson = AdminJson.replicas(sample.replicas());
        for (int i = 0; i < sample.replicas().size(); i++) {
            LoadWindow.Load load = service.metrics().load(sample.replicas().get(i).id(), nowNanos);
            Map<String, Object> json = replicaJson.get(i);
            json.put("requestsPerSecond", round(load.requestsPerSecond()));
            json.put("p50Ms", round(load.p50Millis()));
            json.put("p99Ms", round(load.p99Millis()));
        }
        List<OrchestratorEvent> events = sample.events();
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("service", service.name());
        frame.put("prefix", service.prefix());
        frame.put("fixedBackends", service.view() instanceof StaticServiceView);
        frame.put("status", AdminJson.status(sample.status()));
        frame.put("replicas", replicaJson);
        frame.put("history", history.toJson(now));
        frame.put("events", AdminJson.events(events.subList(0, Math.min(EVENTS, events.size()))));
        return frame;
    }

    /** Two decimals; null for NaN (JSON has no NaN). */
    static Double round(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return null;
        }
        return Math.round(value * 100) / 100.0;
    }

    /** A service's view as of one tick: its status, replicas and recent events (newest first). */
    record Sample(OrchestratorStatus status, List<ReplicaView> replicas, List<OrchestratorEvent> events) {
    }
}
