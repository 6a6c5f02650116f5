package io.longshore.examples.acts;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The acts service's tables, created when missing. Written in the SQL that H2 and PostgreSQL
 * share. Several replicas may create them at the same moment: {@code IF NOT EXISTS} makes a
 * second creation a no-op, and when two run at once (PostgreSQL then refuses one of them with
 * a duplicate-key error) the loser tries again and finds the tables there. Stateless.
 */
final class ActsSchema {
    /** Every table the service uses; {@code health_checks} holds the probes' own rows. */
    static final List<String> TABLES = List.of("acts", "categories", "health_checks");
    static final List<String> STATEMENTS = List.of(
            "CREATE TABLE IF NOT EXISTS categories (name VARCHAR(200) PRIMARY KEY)",
            """
            CREATE TABLE IF NOT EXISTS acts (
                act_id BIGINT PRIMARY KEY,
                username VARCHAR(200) NOT NULL,
                ts VARCHAR(100) NOT NULL,
                caption VARCHAR(2000) NOT NULL,
                category_name VARCHAR(200) NOT NULL REFERENCES categories(name),
                img_b64 TEXT NOT NULL)""",
            "CREATE INDEX IF NOT EXISTS acts_by_category ON acts (category_name)",
            "CREATE TABLE IF NOT EXISTS health_checks (token VARCHAR(100) PRIMARY KEY, replica VARCHAR(200) NOT NULL)");

    private ActsSchema() {
    }

    /**
     * Creates the missing tables on {@code connection} (in auto-commit mode). A statement that
     * fails runs once more: when it lost a race, its object now exists and it does nothing.
     */
    static void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : STATEMENTS) {
                try {
                    statement.execute(sql);
                } catch (SQLException raced) {
                    try {
                        statement.execute(sql);
                    } catch (SQLException e) {
                        e.addSuppressed(raced);
                        throw e;
                    }
                }
            }
        }
    }
}
