package io.longshore.kubernetes.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watcher;
import io.longshore.kubernetes.KubernetesRuntime;
import io.longshore.kubernetes.KubernetesRuntimeEvent;
import io.longshore.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The list-and-watch protocol against a scripted API server: resume, relist, outages. */
class PodTrackerTest {
    private final ScriptedPodApi api = new ScriptedPodApi();
    private final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor();
    private final List<KubernetesRuntimeEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final PodListener recorder = new PodListener() {
        @Override
        public void changed(Pod pod, boolean history) {
            seen.add((history ? "history " : "changed ") + pod.getMetadata().getName() + "@"
                    + pod.getMetadata().getResourceVersion());
        }

        @Override
        public void gone(String name, Pod last) {
            seen.add("gone " + name);
        }
    };
    private final PodTracker tracker = new PodTracker(api, Map.of(KubernetesRuntime.MANAGED_LABEL, "true"), background,
            new Backoff(Duration.ofMillis(10), Duration.ofMillis(80)), new ManualClock(),
            new RuntimeEvents(List.of(events::add), new ManualClock()), List.of(recorder));

    @AfterEach
    void stop() {
        tracker.close();
        background.shutdownNow();
    }

    private void startWatching() {
        tracker.start(Duration.ofSeconds(5));
        await().until(tracker::watching);
    }

    @Test
    void theFirstListIsHistoryAndTheWatchStartsFromItsResourceVersion() {
        api.pods.put("a", ScriptedPodApi.pod("a", "3"));

        startWatching();

        assertThat(seen).containsExactly("history a@3");
        assertThat(api.watchedFrom).containsExactly("5");
    }

    @Test
    void aBrokenWatchIsResumedFromTheLastResourceVersionSeenWithoutListingAgain() {
        startWatching();
        api.send(Watcher.Action.ADDED, ScriptedPodApi.pod("a", "17"));

        api.breakWatch();

        await().until(() -> api.watchedFrom.size() == 2);
        assertThat(api.watchedFrom).containsExactly("5", "17");
        assertThat(api.lists).hasValue(1);
        assertThat(seen).containsExactly("changed a@17");
    }

    @Test
    void aBookmarkMovesTheResumePointWithoutAnyChange() {
        startWatching();
        api.send(Watcher.Action.BOOKMARK, ScriptedPodApi.pod("", "42"));

        api.breakWatch();

        await().until(() -> api.watchedFrom.size() == 2);
        assertThat(api.watchedFrom.get(1)).isEqualTo("42");
        assertThat(seen).isEmpty();
    }

    @Test
    void anExpiredResourceVersionMakesItListAgainAndTellWhatChangedAndWhatVanished() {
        api.pods.put("a", ScriptedPodApi.pod("a", "3"));
        api.pods.put("b", ScriptedPodApi.pod("b", "4"));
        startWatching();
        api.pods.remove("b");
        api.pods.put("a", ScriptedPodApi.pod("a", "60"));
        api.listVersion = "61";

        api.expireWatch();

        await().until(() -> api.watchedFrom.size() == 2);
        assertThat(api.lists).hasValue(2);
        assertThat(api.watchedFrom.get(1)).isEqualTo("61");
        assertThat(seen).containsExactlyInAnyOrder("history a@3", "history b@4", "changed a@60", "gone b");
    }

    @Test
    void anOutageIsOneEventWithTheNextRetryAndTheRecoveryAnother() {
        api.listFailures.add(ScriptedPodApi.unreachable());
        api.listFailures.add(ScriptedPodApi.unreachable());
        api.listFailures.add(ScriptedPodApi.unreachable());

        startWatching();

        assertThat(api.lists).hasValue(4);
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isInstanceOfSatisfying(KubernetesRuntimeEvent.ApiServerUnreachable.class, e -> {
            assertThat(e.retryIn()).isEqualTo(Duration.ofMillis(10));
            assertThat(e.error()).contains("unreachable").contains("Connection refused");
        });
        assertThat(events.get(1)).isInstanceOf(KubernetesRuntimeEvent.ApiServerReachable.class);
    }

    @Test
    void aWatchThatEndsAtOnceWithoutNewsIsCheckedByListingAgainAndIsNoOutageWhenTheListAnswers() {
        // as a load balancer with a short idle timeout ends quiet watches of a healthy server
        api.pods.put("a", ScriptedPodApi.pod("a", "3"));
        startWatching();
        api.listVersion = "8";

        for (int closed = 1; closed <= 3; closed++) {
            api.breakWatch();
            int lists = closed + 1;
            await().until(() -> api.lists.get() == lists && api.watchedFrom.size() == lists && tracker.watching());
        }

        assertThat(api.watchedFrom).containsExactly("5", "8", "8", "8");
        assertThat(tracker.known("a")).isPresent();
        assertThat(events).isEmpty();
    }

    @Test
    void aWatchThatEndsWithoutNewsWhenTheListThenFailsIsAnOutageAndTheTrackerListsAgain() {
        startWatching();
        api.listFailures.add(ScriptedPodApi.unreachable());

        api.breakWatch();

        await().until(() -> api.lists.get() == 3 && tracker.watching());
        assertThat(api.watchedFrom).containsExactly("5", "5");
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isInstanceOfSatisfying(KubernetesRuntimeEvent.ApiServerUnreachable.class,
                e -> assertThat(e.error()).contains("cannot list pods").contains("unreachable"));
        assertThat(events.get(1)).isInstanceOf(KubernetesRuntimeEvent.ApiServerReachable.class);
    }

    @Test
    void knownPodsAreKeptAndNothingIsReportedWhileTheWatchCannotBeResumed() {
        api.pods.put("a", ScriptedPodApi.pod("a", "3"));
        startWatching();
        api.send(Watcher.Action.MODIFIED, ScriptedPodApi.pod("a", "9"));
        api.watchFailures.add(ScriptedPodApi.unreachable());
        api.listFailures.add(ScriptedPodApi.unreachable());

        api.breakWatch();

        await().until(() -> api.lists.get() == 3 && tracker.watching());
        assertThat(api.watchedFrom).containsExactly("5", "9", "5");
        assertThat(tracker.known("a")).isPresent();
        assertThat(seen).containsExactly("history a@3", "changed a@9", "changed a@3");
        assertThat(events).hasSize(2);
    }

    @Test
    void eventsOfAWatchThatWasReplacedAreIgnored() {
        startWatching();
        api.send(Watcher.Action.ADDED, ScriptedPodApi.pod("a", "7"));
        Watcher<Pod> replaced = api.current();
        api.breakWatch();
        await().until(() -> api.watchedFrom.size() == 2 && tracker.watching());

        replaced.eventReceived(Watcher.Action.ADDED, ScriptedPodApi.pod("stale", "8"));
        api.send(Watcher.Action.ADDED, ScriptedPodApi.pod("late", "9"));

        assertThat(seen).containsExactly("changed a@7", "changed late@9");
    }
}
