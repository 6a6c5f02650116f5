package io.longshore.examples.acts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acts service on the embedded H2 server, and the server itself: files and password in its
 * directory, the same data and port after a restart, recovery of the replicas after an outage.
 */
class ActsServerOnH2ServerTest extends ActsServerContract {
    @RegisterExtension
    static final H2ServerFixture h2 = new H2ServerFixture();

    @Override
    DatabaseSettings database() {
        return h2.settings();
    }

    @Test
    void theServerListensOnLoopbackWithAPasswordOnlyItsOwnerCanRead() throws Exception {
        H2DatabaseServer h2Server = h2.server();
        assertThat(h2Server.settings().url()).isEqualTo("jdbc:h2:tcp://127.0.0.1:" + h2Server.port() + "/acts");
        assertThat(h2Server.settings().user()).isEqualTo("acts");
        assertThat(h2Server.settings().password()).hasSize(32);
        assertThat(h2Server.settings().toString()).doesNotContain(h2Server.settings().password());
        Path settings = h2.directory().resolve(H2DatabaseServer.SETTINGS_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(settings))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(h2.directory())))
                .isEqualTo("rwx------");
        assertThat(h2.directory().resolve("acts.mv.db")).exists();
    }

    @Test
    void aDatabaseWithoutItsSettingsFileIsAClearError(@TempDir Path other) throws Exception {
        H2DatabaseServer.start(other).close();
        Files.delete(other.resolve(H2DatabaseServer.SETTINGS_FILE));

        assertThatThrownBy(() -> H2DatabaseServer.start(other))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("holds a database but not its server.properties");
    }

    @Test
    void afterAnOutageTheServerComesBackOnTheSamePortWithTheDataAndTheReplicaIsHealthyAgain() throws Exception {
        send("POST", "/api/v1/categories", "[\"kindness\"]");
        send("POST", "/api/v1/acts", ACT);
        int port = h2.server().port();

        h2.stop();
        assertThat(send("GET", "/api/v1/_health", null).statusCode()).isEqualTo(500);
        h2.start();

        assertThat(h2.server().port()).isEqualTo(port);
        assertThat(send("GET", "/api/v1/_health", null).statusCode()).isEqualTo(200);
        assertThat(body(send("GET", "/api/v1/categories", null))).isEqualTo(json.readTree("{\"kindness\": 1}"));
    }

    @Test
    void aNewServerTakesAPortOutsideTheKernelsRangeForOutgoingConnections(@TempDir Path other) throws Exception {
        try (H2DatabaseServer server = H2DatabaseServer.start(other)) {
            assertThat(server.port()).isBetween(H2DatabaseServer.FIRST_PORT, H2DatabaseServer.LAST_PORT);
        }
    }

    @Test
    void whenItsRecordedPortIsTakenTheServerTakesAnotherOfItsOwnRange(@TempDir Path other) throws Exception {
        int recorded;
        try (H2DatabaseServer first = H2DatabaseServer.start(other)) {
            recorded = first.port();
        }
        try (ServerSocket squatter = new ServerSocket(recorded, 1, InetAddress.getLoopbackAddress());
             H2DatabaseServer second = H2DatabaseServer.start(other)) {
            assertThat(second.port()).isNotEqualTo(recorded)
                    .isBetween(H2DatabaseServer.FIRST_PORT, H2DatabaseServer.LAST_PORT);
        }
    }

    @Test
    void everyCommitReachesTheFileAtOnceOnEveryStartNotOnlyTheFirst(@TempDir Path other) throws Exception {
        H2DatabaseServer.start(other).close();

        try (H2DatabaseServer again = H2DatabaseServer.start(other)) {
            assertThat(writeDelays(again)).as("WRITE_DELAY of the open database").isNotEmpty().containsOnly("0");
        }
    }

    /** Every WRITE_DELAY the open database reports: the stored setting and the one in force. */
    private static List<String> writeDelays(H2DatabaseServer server) throws Exception {
        DatabaseSettings settings = server.settings();
        List<String> values = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
