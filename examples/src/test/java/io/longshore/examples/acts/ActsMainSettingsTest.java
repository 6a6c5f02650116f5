package io.longshore.examples.acts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ActsMainSettingsTest {
    private static final String DB = "jdbc:h2:tcp://127.0.0.1:9092/acts";
    private static final Map<String, String> WITH_DB = Map.of("PORT", "1", DatabaseSettings.URL_ENV, DB);

    @Test
    void nagleIsTurnedOffAndH2GivesUpQuicklyUnlessTheCommandLineSaidOtherwise() {
        Properties none = new Properties();
        ActsMain.applyDefaults(none);
        assertThat(none).containsEntry("sun.net.httpserver.nodelay", "true")
                .containsEntry("h2.socketConnectTimeout", ActsMain.H2_CONNECT_TIMEOUT_MILLIS);

        Properties given = new Properties();
        given.setProperty("sun.net.httpserver.nodelay", "false");
        given.setProperty("h2.socketConnectTimeout", "2000");
        ActsMain.applyDefaults(given);
        assertThat(given).containsEntry("sun.net.httpserver.nodelay", "false")
                .containsEntry("h2.socketConnectTimeout", "2000");
    }

    @Test
    void theTestsRunTheJdkHttpServerInThisJvmWithNagleOffAsAReplicaDoes() {
        // examples/pom.xml sets it for Surefire and Failsafe; without it every answer of an acts
        // server started in this JVM waits out the client's delayed ACK (about 40 ms)
        assertThat(System.getProperty(ActsMain.HTTP_SERVER_NODELAY)).isEqualTo("true");
    }

    @Test
    void theEnvironmentGivesPortHostReplicaIdAndDatabase() {
        ActsMain.Settings settings = ActsMain.Settings.parse(new String[0],
                Map.of("PORT", "8000", "BIND_HOST", "0.0.0.0", "REPLICA_ID", "r1", DatabaseSettings.URL_ENV, DB,
                        DatabaseSettings.USER_ENV, "acts", DatabaseSettings.PASSWORD_ENV, "secret"));

        assertThat(settings).isEqualTo(new ActsMain.Settings("0.0.0.0", 8000, "r1", "v1",
                new DatabaseSettings(DB, "acts", "secret"), false));
    }

    @Test
    void bindHostWinsOverHostAndLoopbackIsTheDefault() {
        assertThat(ActsMain.Settings.parse(new String[0], with("HOST", "127.0.0.2")).host()).isEqualTo("127.0.0.2");
        assertThat(ActsMain.Settings.parse(new String[0], with("HOST", "127.0.0.2", "BIND_HOST", "127.0.0.3")).host())
                .isEqualTo("127.0.0.3");
        assertThat(ActsMain.Settings.parse(new String[0], WITH_DB).host()).isEqualTo("127.0.0.1");
    }

    @Test
    void flagsOverrideTheEnvironment() {
        ActsMain.Settings settings = ActsMain.Settings.parse(new String[] {"--port", "9000", "--replica-id", "r2",
            "--database", "jdbc:postgresql://127.0.0.1:5432/acts", "--database-user", "ann",
            "--database-password", "pw"}, Map.of("PORT", "8000", DatabaseSettings.URL_ENV, DB));

        assertThat(settings).isEqualTo(new ActsMain.Settings("127.0.0.1", 9000, "r2", "v1",
                new DatabaseSettings("jdbc:postgresql://127.0.0.1:5432/acts", "ann", "pw"), false));
    }

    @Test
    void theVersionComesFromActsVersionOrTheFlagAndIsV1ByDefault() {
        assertThat(ActsMain.Settings.parse(new String[0], WITH_DB).version()).isEqualTo("v1");
        assertThat(ActsMain.Settings.parse(new String[0], with("ACTS_VERSION", "v2")).version()).isEqualTo("v2");
        assertThat(ActsMain.Settings.parse(new String[] {"--version", "v3"}, with("ACTS_VERSION", "v2")).version())
                .isEqualTo("v3");
        assertThatThrownBy(() -> ActsMain.Settings.parse(new String[0], with("ACTS_VERSION", " ")))
                .hasMessageContaining("version must not be blank");
    }

    @Test
    void withoutADatabaseTheServiceRefusesToStartAndSaysHowToGiveOne() {
        assertThatThrownBy(() -> ActsMain.Settings.parse(new String[0], Map.of("PORT", "1")))
                .hasMessageContaining("no database")
                .hasMessageContaining(DatabaseSettings.URL_ENV);
        assertThatThrownBy(() -> ActsMain.Settings.parse(new String[] {"--database", "postgres://x"}, Map.of("PORT", "1")))
                .hasMessageContaining("JDBC URL starting with jdbc:");
    }

    @Test
    void aMissingOrBadPortIsAClearError() {
        assertThatThrownBy(() -> ActsMain.Settings.parse(new String[0], Map.of(DatabaseSettings.URL_ENV, DB)))
                .hasMessageContaining("PORT");
        assertThatThrownBy(() -> ActsMain.Settings.parse(new String[] {"--port", "eighty"}, WITH_DB))
                .hasMessageContaining("eighty");
        assertThatThrownBy(() -> ActsMain.Settings.parse(new String[] {"--port", "70000"}, WITH_DB))
                .hasMessageContaining("70000");
    }

    @Test
    void anUnknownFlagIsAClearError() {
        assertThatThrownBy(() -> ActsMain.Settings.parse(new String[] {"--colour", "red"}, WITH_DB))
                .hasMessageContaining("--colour");
    }

    @Test
    void thePasswordNeverShowsInTheSettingsText() {
        DatabaseSettings settings = new DatabaseSettings("jdbc:postgresql://h/db?user=a&password=hunter2", "a", "pw");

        assertThat(settings.toString()).doesNotContain("hunter2").doesNotContain("=pw");
        assertThat(settings.describe()).doesNotContain("hunter2").contains("password=***");
        assertThat(settings.environment()).containsEntry(DatabaseSettings.PASSWORD_ENV, "pw");
    }

    private static Map<String, String> with(String... pairs) {
        java.util.Map<String, String> env = new java.util.HashMap<>(WITH_DB);
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }
}
