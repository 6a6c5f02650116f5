package io.longshore.examples.acts;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The databases the acts tests run against: an H2 server the test starts itself, and the
 * PostgreSQL cluster named by {@value #POSTGRES_URL_ENV}, {@value #POSTGRES_USER_ENV} and
 * {@value #POSTGRES_PASSWORD_ENV} ({@code .ci/run} starts one with
 * {@code scripts/test-postgres.sh} and sets them). Without them the PostgreSQL tests are
 * skipped with a message, except under CI ({@code CI=true}), where that is a failure.
 */
public final class TestDatabases {
    public static final String POSTGRES_URL_ENV = "LONGSHORE_TEST_POSTGRES_URL";
    public static final String POSTGRES_USER_ENV = "LONGSHORE_TEST_POSTGRES_USER";
    public static final String POSTGRES_PASSWORD_ENV = "LONGSHORE_TEST_POSTGRES_PASSWORD";

    private TestDatabases() {
    }

    /** The test PostgreSQL database; aborts the test (or fails it under CI) when none is configured. */
    public static DatabaseSettings postgres() {
        Map<String, String> env = System.getenv();
        String url = env.get(POSTGRES_URL_ENV);
        boolean configured = url != null && !url.isBlank();
        if (!configured && "true".equals(env.get("CI"))) {
            fail(POSTGRES_URL_ENV + " is not set under CI: .ci/run starts PostgreSQL with scripts/test-postgres.sh");
        }
        assumeTrue(configured, "no PostgreSQL for the tests: PostgreSQL test skipped (run"
                + " `source $(bash scripts/test-postgres.sh start)` first to include it)");
        return new DatabaseSettings(url, env.getOrDefault(POSTGRES_USER_ENV, ""),
                env.getOrDefault(POSTGRES_PASSWORD_ENV, ""));
    }

    /** Drops the acts service's tables, so the next test starts from nothing. */
    public static void dropTables(DatabaseSettings database) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.url(), database.user(), database.password());
             Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + String.join(", ", ActsSchema.TABLES));
        }
    }

    /** The number of rows in {@code table}. */
    public static long rows(DatabaseSettings database, String table) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.url(), database.user(), database.password());
             Statement statement = connection.createStatement();
             var result = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            result.next();
            return result.getLong(1);
        }
    }
}
