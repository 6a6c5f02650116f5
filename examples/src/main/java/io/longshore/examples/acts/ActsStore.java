package io.longshore.examples.acts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Categories and acts in an in-memory H2 database that lives as long as this store (it holds
 * the one connection). Thread-safe: every method is synchronized on the store.
 */
final class ActsStore implements AutoCloseable {

    /** What adding an act did. */
    enum AddActResult { ADDED, NO_SUCH_CATEGORY, DUPLICATE_ID }

    private static final String SCHEMA = """
            CREATE TABLE categories (name VARCHAR(200) PRIMARY KEY);
            CREATE TABLE acts (
                act_id BIGINT PRIMARY KEY,
                username VARCHAR(200) NOT NULL,
                ts VARCHAR(100) NOT NULL,
                caption VARCHAR(2000) NOT NULL,
                category_name VARCHAR(200) NOT NULL REFERENCES categories(name),
                img_b64 CLOB NOT NULL);
            CREATE TABLE health_checks (id BIGINT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(50));
            """;

    private final Connection connection;

    /** Opens a fresh private in-memory database named {@code name}. */
    ActsStore(String name) throws SQLException {
        JdbcDataSource source = new JdbcDataSource();
        source.setURL("jdbc:h2:mem:" + name);
        this.connection = source.getConnection();
        try (Statement statement = connection.createStatement()) {
            statement.execute(SCHEMA);
        }
    }

    /** Every category with its number of acts, by name. */
    synchronized Map<String, Long> categoryCounts() throws SQLException {
        String sql = "SELECT c.name, COUNT(a.act_id) FROM categories c"
                + " LEFT JOIN acts a ON a.category_name = c.name GROUP BY c.name ORDER BY c.name";
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
        }
        return counts;
    }

    /** Adds a category; false when it already exists. */
    synchronized boolean addCategory(String name) throws SQLException {
        if (categoryExists(name)) {
            return false;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO categories VALUES (?)")) {
            insert.setString(1, name);
            insert.executeUpdate();
        }
        return true;
    }

    /** The acts of a category, by id; empty when the category does not exist. */
    synchronized Optional<List<Act>> actsIn(String category) throws SQLException {
        if (!categoryExists(category)) {
            return Optional.empty();
        }
        String sql = "SELECT act_id, username, ts, caption, category_name, img_b64 FROM acts"
                + " WHERE category_name = ? ORDER BY act_id";
        List<Act> acts = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, category);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    acts.add(new Act(rows.getLong(1), rows.getString(2), rows.getString(3),
                            rows.getString(4), rows.getString(5), rows.getString(6)));
                }
            }
        }
        return Optional.of(acts);
    }

    synchronized AddActResult addAct(Act act) throws SQLException {
        if (!categoryExists(act.categoryName())) {
            return AddActResult.NO_SUCH_CATEGORY;
        }
        if (count("SELECT COUNT(*) FROM acts WHERE act_id = " + act.actId()) > 0) {
            return AddActResult.DUPLICATE_ID;
        }
        String sql = "INSERT INTO acts VALUES (?, ?, ?, ?, ?, ?)";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setLong(1, act.actId());
            insert.setString(2, act.username());
            insert.setString(3, act.timestamp());
            insert.setString(4, act.caption());
            insert.setString(5, act.categoryName());
            insert.setString(6, act.imgB64());
            insert.executeUpdate();
        }
        return AddActResult.ADDED;
    }

    synchronized long actCount() throws SQLException {
        return count("SELECT COUNT(*) FROM acts");
    }

    /** The seed's health check: an insert, a select and a delete; throws when any fails. */
    synchronized void checkHealth() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO health_checks (note) VALUES ('probe')");
            long rows = count("SELECT COUNT(*) FROM health_checks WHERE note = 'probe'");
            if (rows < 1) {
                throw new SQLException("inserted health-check row not found");
            }
            statement.executeUpdate("DELETE FROM health_checks WHERE note = 'probe'");
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        connection.close();
    }

    private boolean categoryExists(String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT COUNT(*) FROM categories WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1) > 0;
            }
        }
    }

    private long count(String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
