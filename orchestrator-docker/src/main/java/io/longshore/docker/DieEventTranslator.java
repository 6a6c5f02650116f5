package io.longshore.docker;

import com.github.dockerjava.api.model.Event;
import io.longshore.api.Clock;
import io.longshore.api.RuntimeEvent;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Turns the engine's container events into the exits a watcher reports. Only {@code die} ends a
 * container: the engine also emits {@code oom} when the kernel OOM-kills <em>any</em> process of
 * the container's cgroup, e.g. a child the workload survives, so an {@code oom} alone is no exit.
 * A {@code die} is an {@link RuntimeEvent.Kind#OOM_KILLED OOM kill} when the engine's state says
 * {@code OOMKilled} and the exit code is that of a SIGKILL (137) or unknown: the engine sets
 * {@code OOMKilled} for any OOM kill during the container's life, so a container that exits with
 * its own code after a child was killed is {@link RuntimeEvent.Kind#EXITED exited}. Requested stops
 * and repeated events of one container are dropped. Thread-safe.
 */
final class DieEventTranslator {
    /** The exit code of a process killed by SIGKILL, as the kernel's OOM killer does. */
    static final int SIGKILL_EXIT_CODE = 137;

    private final Clock clock;
    private final RecentIds requestedStops;
    private final RecentIds reported = new RecentIds();
    private final Predicate<String> oomKilled;

    /**
     * @param oomKilled whether the engine's state of a container says {@code OOMKilled}; false
     *                  when it cannot tell
     */
    DieEventTranslator(Clock clock, RecentIds requestedStops, Predicate<String> oomKilled) {
        this.clock = clock;
        this.requestedStops = requestedStops;
        this.oomKilled = oomKilled;
    }

    /** The exit to report for {@code event}, if any. */
    Optional<RuntimeEvent> translate(Event event) {
        if (!"die".equals(event.getAction())) {
            return Optional.empty();
        }
        String id = event.getActor() != null && event.getActor().getId() != null ? event.getActor().getId() : event.getId();
        if (id == null || requestedStops.contains(id) || !reported.addIfAbsent(id)) {
            return Optional.empty();
        }
        int exitCode = exitCode(event);
        boolean killed = exitCode == SIGKILL_EXIT_CODE || exitCode < 0;
        RuntimeEvent.Kind kind = killed && oomKilled.test(id) ? RuntimeEvent.Kind.OOM_KILLED : RuntimeEvent.Kind.EXITED;
        return Optional.of(new RuntimeEvent(id, kind, kind == RuntimeEvent.Kind.OOM_KILLED ? SIGKILL_EXIT_CODE : exitCode,
                clock.instant()));
    }

    private static int exitCode(Event event) {
        Map<String, String> attributes = event.getActor() == null ? null : event.getActor().getAttributes();
        String code = attributes == null ? null : attributes.get("exitCode");
        try {
            return code == null ? -1 : Integer.parseInt(code.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
