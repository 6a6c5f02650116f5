package io.longshore.examples.acts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The health check's row never outlives the check, whichever of its steps fails. */
class ActsStoreHealthCheckTest {
    private static final String SELECT_STEP = "SELECT replica FROM health_checks";

    private H2DatabaseServer h2;

    @BeforeEach
    void startTheDatabase(@TempDir Path dir) throws IOException {
        h2 = H2DatabaseServer.start(dir.resolve("acts-db"));
    }

    @AfterEach
    void stopTheDatabase() {
        h2.close();
    }

    @Test
    void aCheckWhoseReadBackFailsAfterTheInsertLeavesNoRowBehind() throws Exception {
        try (ActsStore store = new ActsStore(new ConnectionPool(this::connectionFailingTheReadBack, 1))) {
            assertThatThrownBy(() -> store.checkHealth("replica-a"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("the read-back fails");
        }

        assertThat(TestDatabases.rows(h2.settings(), "health_checks")).isZero();
    }

    @Test
    void aPassingCheckLeavesNoRowAndItsConnectionBackInAutoCommit() throws Exception {
        try (ActsStore store = new ActsStore(new ConnectionPool(h2.settings(), 1))) {
            store.checkHealth("replica-a");
            store.checkHealth("replica-a");

            assertThat(store.addCategory("cats")).as("a later statement on the kept connection commits").isTrue();
        }

        assertThat(TestDatabases.rows(h2.settings(), "health_checks")).isZero();
        assertThat(TestDatabases.rows(h2.settings(), "categories")).isEqualTo(1);
    }

    /** A real connection to the test database whose {@code prepareStatement} of the check's SELECT fails. */
    private Connection connectionFailingTheReadBack() throws SQLException {
        DatabaseSettings settings = h2.settings();
        Connection real = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement") && String.valueOf(args[0]).startsWith(SELECT_STEP)) {
                        throw new SQLException("the read-back fails (a test double)");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
