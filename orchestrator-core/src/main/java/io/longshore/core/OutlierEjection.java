package io.longshore.core;

import io.longshore.core.internal.ReplicaBackend;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive outlier ejection, as Envoy's, decided in one place for the orchestrator and for fixed
 * backends: when the router reports a backend's streak of {@code consecutiveFailures} failed
 * requests, a READY backend is ejected for {@code baseEjection × its ejection count} (capped at
 * {@code maxEjection}), unless that would put more than {@code maxEjectedPercent} of the
 * candidates that are not leaving out at once. A report that does not eject resets the
 * backend's streak, so that it can be reported again. Applying the decision (a state transition,
 * a timer) is the caller's. Not thread-safe: its owner serialises calls (the control loop, or
 * the fixed backends' lock).
 */
final class OutlierEjection {
    private static final Logger LOG = LoggerFactory.getLogger(OutlierEjection.class);

    private final OutlierDetection settings;
    private final Map<ReplicaBackend, Integer> ejections = new HashMap<>();

    OutlierEjection(OutlierDetection settings) {
        this.settings = settings;
    }

    /** Failures in a row after which the router reports a backend; 0 when detection is off. */
    int reportThreshold() {
        return settings.enabled() ? settings.consecutiveFailures() : 0;
    }

    /**
     * Decides on a backend the router reported, given every current candidate: the length of its
     * ejection (counted), or empty when it stays (detection off, not READY, or no room).
     */
    Optional<Duration> eject(ReplicaBackend backend, List<Candidate> candidates) {
        Candidate reported = find(backend, candidates);
        if (!settings.enabled() || reported == null || reported.condition() != Candidate.Condition.READY) {
            backend.resetFailures();
            return Optional.empty();
        }
        if (!roomToEject(candidates)) {
            LOG.info("not ejecting {}: {}% of the backends are ejected already", backend, settings.maxEjectedPercent());
            backend.resetFailures();
            return Optional.empty();
        }
        int count = ejections.merge(backend, 1, Integer::sum);
        Duration length = settings.baseEjection().multipliedBy(count);
        return Optional.of(length.compareTo(settings.maxEjection()) > 0 ? settings.maxEjection() : length);
    }

    /** Why the backend was ejected, for events. */
    String reason() {
        return settings.consecutiveFailures() + " failed requests in a row";
    }

    /** The ejection of {@code backend} ended: its failure streak starts over. */
    void readmitted(ReplicaBackend backend) {
        backend.resetFailures();
    }

    /** Forgets the ejection counts of backends not in {@code live} (replicas gone). */
    void retainOnly(Collection<ReplicaBackend> live) {
        ejections.keySet().retainAll(live);
    }

    private boolean roomToEject(List<Candidate> candidates) {
        int eligible = 0;
        int ejected = 0;
        for (Candidate candidate : candidates) {
            if (candidate.condition() != Candidate.Condition.LEAVING) {
                eligible++;
                if (candidate.condition() == Candidate.Condition.EJECTED) {
                    ejected++;
                }
            }
        }
        return (long) (ejected + 1) * 100 <= (long) settings.maxEjectedPercent() * eligible;
    }

    private static Candidate find(ReplicaBackend backend, List<Candidate> candidates) {
        for (Candidate candidate : candidates) {
            if (candidate.backend() == backend) {
                return candidate;
            }
        }
        return null;
    }
}
