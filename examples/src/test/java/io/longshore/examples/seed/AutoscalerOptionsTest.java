package io.longshore.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longshore.api.TargetTracking;
import io.longshore.examples.seed.AutoscalerOptions.Kind;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AutoscalerOptionsTest {

    @Test
    void theSeedAutoscalerIsTheDefaultAndTargetFlagsDefaultAsTheIssueGivesThem() {
        AutoscalerOptions options = SeedOptions.parse().autoscaler();

        assertThat(options.kind()).isEqualTo(Kind.SEED);
        assertThat(options.targetConcurrency()).isEqualTo(10);
        assertThat(options.scaleTick()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.stableWindow()).isEqualTo(Duration.ofSeconds(60));
        assertThat(options.burstWindow()).isEqualTo(Duration.ofSeconds(6));
        assertThat(options.idle()).isEmpty();
        assertThat(options.maxWaiting()).isEqualTo(1000);
        assertThat(options.maxWait()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.containerConcurrency()).isZero();
    }

    @Test
    void everyTargetFlagIsRead() {
        AutoscalerOptions options = SeedOptions.parse("--autoscaler", "target", "--min", "0",
                "--target-concurrency", "5", "--scale-tick=1s", "--stable-window", "30s", "--burst-window", "3s",
                "--idle", "2m", "--max-waiting", "50", "--max-wait", "10s", "--container-concurrency", "8").autoscaler();

        assertThat(options).isEqualTo(new AutoscalerOptions(Kind.TARGET, 5, Duration.ofSeconds(1),
                Duration.ofSeconds(30), Duration.ofSeconds(3), Optional.of(Duration.ofMinutes(2)), 50,
                Duration.ofSeconds(10), 8));
    }

    @Test
    void targetOptionsBecomeTheTargetTrackingSettings() {
        TargetTracking settings = SeedOptions.parse("--autoscaler", "target", "--min", "0", "--target-concurrency",
                "5", "--scale-tick", "1s", "--stable-window", "30s", "--burst-window", "3s", "--idle", "2m")
                .autoscaler().targetTracking();

        assertThat(settings.target()).isEqualTo(5);
        assertThat(settings.tick()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.stableWindow()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.burstWindow()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.idle()).isEqualTo(Duration.ofMinutes(2));
        assertThat(SeedOptions.parse("--autoscaler", "target", "--stable-window", "40s").autoscaler()
                .targetTracking().idle()).as("idle defaults to the stable window").isEqualTo(Duration.ofSeconds(40));
    }

    @Test
    void badAutoscalerFlagsSayWhatIsWrong() {
        assertThatThrownBy(() -> SeedOptions.parse("--autoscaler", "hpa"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--autoscaler must be seed or target");
        assertThatThrownBy(() -> SeedOptions.parse("--target-concurrency", "5"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--target-concurrency applies to --autoscaler target only");
        assertThatThrownBy(() -> SeedOptions.parse("--autoscaler", "target", "--scale-interval", "5s"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--scale-interval applies to --autoscaler seed only");
        assertThatThrownBy(() -> SeedOptions.parse("--autoscaler", "target", "--idle", "1m"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--idle scales to zero and needs --min 0");
        assertThatThrownBy(() -> SeedOptions.parse("--autoscaler", "target", "--burst-window", "2m"))
                .isInstanceOf(UsageException.class).hasMessageContaining("must not be longer than --stable-window");
        assertThatThrownBy(() -> SeedOptions.parse("--autoscaler", "target", "--target-concurrency", "0"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--target-concurrency must be at least 1");
        assertThatThrownBy(() -> SeedOptions.parse("--autoscaler", "target", "--max-wait", "0s"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--max-wait must be positive");
        assertThatThrownBy(() -> SeedOptions.parse("--autoscaler", "target", "--stable-window", "16m"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--stable-window (16m) must not be longer than"
                        + " the 15m the gateway measures load over");
        assertThat(SeedOptions.parse("--autoscaler", "target", "--stable-window", "15m").autoscaler().stableWindow())
                .isEqualTo(Duration.ofMinutes(15));
        assertThatThrownBy(() -> SeedOptions.parse("--autoscaler", "target", "--min", "0", "--max-waiting", "0"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--min 0 with --autoscaler target needs the"
                        + " gateway's waiting line");
        assertThat(SeedOptions.parse("--autoscaler", "target", "--min", "1", "--max-waiting", "0").autoscaler()
                .maxWaiting()).isZero();
        assertThatThrownBy(() -> SeedOptions.parse("--static-backends", "127.0.0.1:9001", "--autoscaler", "target"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--autoscaler makes no sense with --static-backends");
    }

    @Test
    void targetOptionsSurviveTheTripThroughTheirArguments() {
        SeedOptions options = SeedOptions.parse("--runtime", "process", "--autoscaler", "target", "--min", "0",
                "--idle", "90s", "--container-concurrency", "4", "--max-wait", "5s");

        assertThat(SeedOptions.parse(options.toArgs().toArray(String[]::new))).isEqualTo(options);
    }

    @Test
    void theUsageNamesEveryAutoscalerFlag() {
        assertThat(SeedOptions.usage()).contains("--autoscaler seed|target", "--target-concurrency", "--scale-tick",
                "--stable-window", "--burst-window", "--idle", "--max-waiting", "--max-wait", "--container-concurrency",
                "default 6s", "default 30s", "default 1000");
    }
}
