package io.longshore.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The arithmetic of reconciling the replicas with the desired count and the desired revision, as
 * a Deployment's rolling update: which replicas to start and which to take away. Pure: it reads
 * the replicas it is given and changes nothing. Replicas of the desired revision are "new", the
 * others "old"; a replica is available once READY for {@code minReady}.
 *
 * <ul>
 *   <li>New replicas beyond the desired count leave, highest port first (a scale-in).</li>
 *   <li>Rolling: replicas beyond desired + surge leave, old ones first (a scale-in during a
 *       rollout), unavailable ones first, and an available one only while desired − maxUnavailable
 *       stay available (a surplus of new replicas still starting waits for them); new ones start while there are fewer new than desired and fewer than desired +
 *       surge hold a port (old ones still leaving included, so a new replica takes the port of the
 *       old one it follows); old ones leave while the available ones stay at least desired −
 *       maxUnavailable (and the unavailable new ones are not more than that allows), unavailable
 *       old ones first, then lowest port first.</li>
 *   <li>Frozen (a paused rollout): nothing is replaced and no surge added; only the count follows
 *       the desired one — new replicas start up to it, and beyond desired + surge old ones leave
 *       first, as available as rolling allows.</li>
 *   <li>At a desired count of 0 the surge is 0: every replica leaves, paused or not.</li>
 * </ul>
 * Stateless apart from its settings; not thread-safe (its arguments are the loop's).
 */
final class RolloutPlanner {
    /** What to do: start {@code start} new replicas (lowest free ports), and make {@code leave} leave. */
    record Plan(int start, List<Replica> leave) {
        static final Plan NOTHING = new Plan(0, List.of());

        boolean isEmpty() {
            return start == 0 && leave.isEmpty();
        }
    }

    private final RolloutConfig config;

    RolloutPlanner(RolloutConfig config) {
        this.config = config;
    }

    /**
     * @param active  the replicas that count (not leaving for good), in port order
     * @param leavingOld how many replicas of other revisions are leaving for good but still hold a port
     * @param target  the desired revision's hash
     * @param rolling whether old replicas are replaced (false while a rollout is paused)
     */
    Plan plan(List<Replica> active, int leavingOld, String target, int desired, boolean rolling, long nowNanos) {
        List<Replica> fresh = new ArrayList<>();
        List<Replica> old = new ArrayList<>();
        for (Replica replica : active) {
            (replica.revision().hash().equals(target) ? fresh : old).add(replica);
        }
        old.sort(Comparator.comparing((Replica r) -> available(r, nowNanos)).thenComparingInt(Replica::port));
        List<Replica> leave = new ArrayList<>();
        while (fresh.size() > desired) {
            leave.add(fresh.remove(fresh.size() - 1));
        }
        // at zero nothing is to be rolled: no surge, so a paused rollout scaled to zero keeps no old replica
        int surge = desired == 0 ? 0 : config.surgeFor(desired);
        trimOld(fresh, old, desired + surge, desired, nowNanos, leave);
        if (!rolling) {
            return new Plan(Math.max(0, desired - fresh.size() - old.size()), leave);
        }
        int held = fresh.size() + old.size() + leavingOld;
        int start = Math.max(0, Math.min(desired - fresh.size(), desired + surge - held));
        scaleDownOld(fresh, old, start, desired, nowNanos, leave);
        return new Plan(start, leave);
    }

    /**
     * Takes old replicas away, unavailable ones first, while more than {@code limit} count; an
     * available one only while enough others stay available, so that a surplus of new replicas
     * still starting never costs capacity (they hold the surge until they are available).
     */
    private void trimOld(List<Replica> fresh, List<Replica> old, int limit, int desired, long nowNanos,
                         List<Replica> leave) {
        int minAvailable = minAvailable(desired);
        int availableNow = countAvailable(fresh, nowNanos) + countAvailable(old, nowNanos);
        while (!old.isEmpty() && fresh.size() + old.size() > limit) {
            if (available(old.get(0), nowNanos)) {
                if (availableNow - 1 < minAvailable) {
                    return;
                }
                availableNow--;
            }
            leave.add(old.remove(0));
        }
    }

    /** Takes old replicas away while enough stay available (Kubernetes' maxScaledDown and minAvailable). */
    private void scaleDownOld(List<Replica> fresh, List<Replica> old, int starting, int desired, long nowNanos,
                              List<Replica> leave) {
        int minAvailable = minAvailable(desired);
        int freshAvailable = countAvailable(fresh, nowNanos);
        int availableNow = freshAvailable + countAvailable(old, nowNanos);
        int freshUnavailable = fresh.size() + starting - freshAvailable;
        int mayLeave = fresh.size() + starting + old.size() - minAvailable - freshUnavailable;
        for (Replica replica : old) {
            if (mayLeave <= 0) {
                return;
            }
            if (available(replica, nowNanos)) {
                if (availableNow - 1 < minAvailable) {
                    return;
                }
                availableNow--;
            }
            leave.add(replica);
            mayLeave--;
        }
    }

    /** How many replicas must stay available at {@code desired}: desired − maxUnavailable (Kubernetes' minAvailable). */
    private int minAvailable(int desired) {
        return desired - Math.min(config.unavailableFor(desired), desired);
    }

    private int countAvailable(List<Replica> replicas, long nowNanos) {
        return (int) replicas.stream().filter(r -> available(r, nowNanos)).count();
    }

    /** READY for at least {@code minReady}. */
    boolean available(Replica replica, long nowNanos) {
        return replica.phase() == ReplicaPhase.READY
                && nowNanos - replica.readySinceNanos() >= config.minReady().toNanos();
    }

    /** When {@code replica}, READY now, becomes available; {@link Long#MIN_VALUE} when it is not READY. */
    long availableAtNanos(Replica replica) {
        return replica.phase() == ReplicaPhase.READY
                ? replica.readySinceNanos() + config.minReady().toNanos() : Long.MIN_VALUE;
    }
}
