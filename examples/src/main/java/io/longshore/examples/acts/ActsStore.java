package io.longshore.examples.acts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Categories and acts in the shared database every replica of the service uses. Keeps no data
 * of its own: each call is one statement (or, for the health check, a transaction of three) on a
 * pooled connection, so replicas never disagree and a replica that dies loses nothing. The tables are
 * created on first use ({@link ActsSchema}); while the database is unreachable every call
 * throws and the next one tries again. Uniqueness is the database's job (primary keys), so two
 * replicas adding the same act at once add it once. Thread-safe.
 */
final class ActsStore implements AutoCloseable {

    /** Receives the acts of a listing one at a time ({@link #eachActIn}). */
    @FunctionalInterface
    interface ActSink {
        void accept(Act act) throws IOException;
    }

    /** What adding an act did. */
    enum AddActResult { ADDED, NO_SUCH_CATEGORY, DUPLICATE_ID }

    /** SQLSTATE class of integrity constraint violations (duplicate key, missing parent). */
    private static final String INTEGRITY_VIOLATION = "23";
    private static final int HEALTH_QUERY_TIMEOUT_SECONDS = 5;
    /** Rows a listing's cursor fetches at a time: one, since one act may hold an image of 2 000 000 characters. */
    private static final int ROWS_PER_FETCH = 1;

    private final ConnectionPool pool;
    private volatile boolean schemaReady;

    ActsStore(ConnectionPool pool) {
        this.pool = pool;
    }

    /** Creates the tables unless this store already did; throws while the database is unreachable. */
    void ensureSchema() throws SQLException {
        if (schemaReady) {
            return;
        }
        synchronized (this) {
            if (!schemaReady) {
                pool.apply(connection -> {
                    ActsSchema.create(connection);
                    return null;
                });
                schemaReady = true;
            }
        }
    }

    /** Every category with its number of acts, by name. */
    Map<String, Long> categoryCounts() throws SQLException {
        String sql = "SELECT c.name, COUNT(a.act_id) FROM categories c"
                + " LEFT JOIN acts a ON a.category_name = c.name GROUP BY c.name ORDER BY c.name";
        return run(connection -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery(sql)) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getLong(2));
                }
            }
            return counts;
        });
    }

    /** Adds a category; false when it already exists. */
    boolean addCategory(String name) throws SQLException {
        return run(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO categories (name) VALUES (?)")) {
                insert.setString(1, name);
                insert.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (isIntegrityViolation(e) && categoryExists(connection, name)) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** The number of acts in a category; empty when the category does not exist. */
    OptionalLong actCountIn(String category) throws SQLException {
        String sql = "SELECT COUNT(a.act_id) FROM categories c LEFT JOIN acts a ON a.category_name = c.name"
                + " WHERE c.name = ? GROUP BY c.name";
        return run(connection -> {
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                select.setString(1, category);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
                }
            }
        });
    }

    /**
     * Hands the acts of {@code category} at positions {@code offset + 1} to {@code offset + limit}
     * in the order of their ids to {@code sink}, one at a time as the cursor reads them: the rows
     * are fetched {@value #ROWS_PER_FETCH} at a time, so however large the images only the act in
     * hand is held in memory. The query runs in a transaction of its own (PostgreSQL's
     * driver reads with a cursor only outside auto-commit, else it fetches every row first).
     * Nothing is handed over for a category that does not exist or positions past its last act.
     * An {@link IOException} of the sink ends the query and is thrown as is.
     */
    void eachActIn(String category, long offset, int limit, ActSink sink) throws SQLException, IOException {
        String sql = "SELECT act_id, username, ts, caption, category_name, img_b64 FROM acts"
                + " WHERE category_name = ? ORDER BY act_id LIMIT ? OFFSET ?";
        try {
            run(connection -> inOneTransaction(connection, () -> {
                try (PreparedStatement select = connection.prepareStatement(sql)) {
                    select.setFetchSize(ROWS_PER_FETCH);
                    select.setString(1, category);
                    select.setInt(2, limit);
                    select.setLong(3, offset);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            sink.accept(new Act(rows.getLong(1), rows.getString(2), rows.getString(3),
                                    rows.getString(4), rows.getString(5), rows.getString(6)));
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Adds an act; a taken id or a missing category is refused by the database's constraints. */
    AddActResult addAct(Act act) throws SQLException {
        String sql = "INSERT INTO acts (act_id, username, ts, caption, category_name, img_b64) VALUES (?, ?, ?, ?, ?, ?)";
        return run(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                insert.setLong(1, act.actId());
                insert.setString(2, act.username());
                insert.setString(3, act.timestamp());
                insert.setString(4, act.caption());
                insert.setString(5, act.categoryName());
                insert.setString(6, act.imgB64());
                insert.executeUpdate();
                return AddActResult.ADDED;
            } catch (SQLException e) {
                if (!isIntegrityViolation(e)) {
                    throw e;
                }
                return categoryExists(connection, act.categoryName()) ? AddActResult.DUPLICATE_ID
                        : AddActResult.NO_SUCH_CATEGORY;
            }
        });
    }

    long actCount() throws SQLException {
        return run(connection -> {
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM acts")) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    /**
     * The seed's health check: inserts a row of its own (a fresh token, so concurrent replicas
     * never touch each other's rows), reads it back and deletes it; throws when any step fails.
     * The three steps are one transaction, rolled back when a step fails, so a failed check
     * leaves no row behind.
     */
    void checkHealth(String replica) throws SQLException {
        String token = UUID.randomUUID().toString();
        run(connection -> inOneTransaction(connection, () -> {
            update(connection, "INSERT INTO health_checks (token, replica) VALUES (?, ?)", token, replica);
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT replica FROM health_checks WHERE token = ?")) {
                select.setQueryTimeout(HEALTH_QUERY_TIMEOUT_SECONDS);
                select.setString(1, token);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next() || !replica.equals(rows.getString(1))) {
                        throw new SQLException("the health-check row just inserted was not found");
                    }
                }
            }
            if (update(connection, "DELETE FROM health_checks WHERE token = ?", token) != 1) {
                throw new SQLException("the health-check row could not be deleted");
            }
        }));
    }

    /** Statements that run on one connection. */
    @FunctionalInterface
    private interface Steps {
        void run() throws SQLException;
    }

    /** Runs {@code steps} as one transaction: committed when all succeed, else rolled back. */
    private static Void inOneTransaction(Connection connection, Steps steps) throws SQLException {
        connection.setAutoCommit(false);
        try {
            steps.run();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
                connection.setAutoCommit(true);
            } catch (SQLException undo) {
                e.addSuppressed(undo); // the pool drops the connection, which ends the transaction too
            }
            throw e;
        }
        connection.setAutoCommit(true);
        return null;
    }

    @Override
    public void close() {
        pool.close();
    }

    private <T> T run(ConnectionPool.Work<T> work) throws SQLException {
        ensureSchema();
        return pool.apply(work);
    }

    private static int update(Connection connection, String sql, String... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setQueryTimeout(HEALTH_QUERY_TIMEOUT_SECONDS);
            for (int i = 0; i < values.length; i++) {
                statement.setString(i + 1, values[i]);
            }
            return statement.executeUpdate();
        }
    }

    private static boolean categoryExists(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM categories WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1) > 0;
            }
        }
    }

    private static boolean isIntegrityViolation(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith(INTEGRITY_VIOLATION);
    }
}
