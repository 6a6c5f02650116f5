package io.longshore.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TunedJvmTest {
    @Test
    void aJvmStartedWithoutFlagsStartsTheTunedChild() {
        assertThat(TunedJvm.wanted(List.of(), null)).isTrue();
    }

    @Test
    void aJvmStartedWithAFlagOfTheUsersRunsTheScenarioItself() {
        assertThat(TunedJvm.wanted(List.of("-Xmx512m"), null)).isFalse();
        assertThat(TunedJvm.wanted(List.of("-XX:+UseSerialGC"), null)).isFalse();
    }

    @Test
    void theChildNeverStartsAnotherChild() {
        assertThat(TunedJvm.wanted(List.of(), "4242")).isFalse();
    }

    @Test
    void theChildNeedsAnArchitectureWhereZgcRunsAndAJvmThatKnowsIt() {
        assertThat(TunedJvm.supported("amd64", "UseZGC"::equals)).isTrue();
        assertThat(TunedJvm.supported("aarch64", "UseZGC"::equals)).isTrue();
        assertThat(TunedJvm.supported("ppc64le", "UseZGC"::equals)).as("not in JDK 17").isFalse();
        assertThat(TunedJvm.supported("amd64", option -> false)).as("a JVM without ZGC").isFalse();
    }

    @Test
    void theChildRunsTheSameMainAndArgumentsWithTheFlagsAndItsParentsPid() {
        List<String> command = TunedJvm.command("/jdk/bin/java", 4242, 6L << 30, "longshore-seed.jar",
                "io.longshore.examples.seed.SeedMain", List.of("--port", "8080"));

        assertThat(command).startsWith("/jdk/bin/java").endsWith("-cp", "longshore-seed.jar",
                "io.longshore.examples.seed.SeedMain", "--port", "8080");
        assertThat(command).contains("-XX:+UseZGC", "-Xmx1024m", "-D" + TunedJvm.CHILD_PROPERTY + "=4242");
        assertThat(command.indexOf("-cp")).as("JVM flags before the class path")
                .isGreaterThan(command.indexOf("-Xmx1024m"));
    }

    @Test
    void theChildsHeapIsBoundedByAGibibyteOrItsParentsBoundWhenSmaller() {
        assertThat(TunedJvm.flags(6L << 30)).as("direct memory keeps the bound the parent's heap gives it")
                .containsExactly("-XX:+UseZGC", "-Xmx1024m", "-XX:MaxDirectMemorySize=6144m");
        assertThat(TunedJvm.flags(1L << 30)).containsExactly("-XX:+UseZGC", "-Xmx1024m",
                "-XX:MaxDirectMemorySize=1024m");
        assertThat(TunedJvm.flags(256L << 20)).as("a container of 1 GB: the JVM's own quarter")
                .containsExactly("-XX:+UseZGC", "-Xmx256m", "-XX:MaxDirectMemorySize=256m");
        assertThat(TunedJvm.flags(1000)).containsExactly("-XX:+UseZGC", "-Xmx1m", "-XX:MaxDirectMemorySize=1m");
    }

    @Test
    void theLogLineShowsTheJvmsOwnFlagsNotItsProperties() {
        assertThat(TunedJvm.describe(List.of("-XX:+UseZGC", "-Xmx1024m", "-XX:MaxDirectMemorySize=6144m",
                "-Dlongshore.tunedJvm.parent=7"))).isEqualTo("-XX:+UseZGC -Xmx1024m -XX:MaxDirectMemorySize=6144m");
        assertThat(TunedJvm.describe(List.of())).isEmpty();
    }

    @Test
    void aBlankJavaClassPathOrMainClassIsRefused() {
        assertThatThrownBy(() -> TunedJvm.command(" ", 1, 1L << 30, "a.jar", "Main", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TunedJvm.command("java", 1, 1L << 30, "", "Main", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TunedJvm.command("java", 1, 1L << 30, "a.jar", "", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
