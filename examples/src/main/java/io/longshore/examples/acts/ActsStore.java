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
 * of its own: each call is one statement (or, for the health check and a listing's
 * {@link #readSnapshot reads}, one transaction) on a pooled connection, so replicas never
 * disagree and a replica that dies loses nothing. The tables are
 * created on first use ({@link ActsSchema}); while the database is unreachable every call
 * throws and the next one tries again. Uniqueness is the database's job (primary keys), so two
 * replicas adding the same act at once add it once. Thread-safe.
 */
final class ActsStore implements AutoCloseable {

    /** What adding an act did. */
    enum AddActResult { ADDED, NO_SUCH_CATEGORY, DUPLICATE_ID }

    /** SQLSTATE class of integrity constraint violations (duplicate key, missing parent). */
    private static final String INTEGRITY_VIOLATION = "23";
    private static final int HEALTH_QUERY_TIMEOUT_SECONDS = 5;

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
        return run(connection -> ActsSnapshot.countIn(connection, category));
    }

    /**
     * Runs {@code reads} in one transaction at REPEATABLE READ, so that a listing's count and
     * its acts agree however many acts other replicas add in between: PostgreSQL reads every
     * statement of such a transaction from the snapshot taken at its first, H2 each table from
     * the snapshot taken at the transaction's first read of that table (the count reads the acts
     * table before the listing does). The transaction is also what makes PostgreSQL's driver
     * read with a cursor (in auto-commit it fetches every row first). The connection goes back
     * to the pool at its own isolation level. Returns what {@code reads} returns; when they throw,
     * the transaction is rolled back and the pool drops the connection.
     */
    <T> T readSnapshot(ActsSnapshot.Reads<T> reads) throws SQLException, IOException {
        try {
            return run(connection -> inOneTransaction(connection, Connection.TRANSACTION_REPEATABLE_READ, () -> {
                try {
                    return reads.read(new ActsSnapshot(connection));
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
            return null;
        }));
    }

    /** Statements that run on one connection, and what they read. */
    @FunctionalInterface
    private interface Steps<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code steps} as one transaction at the isolation level {@code isolation}, then sets
     * the connection's own level again. When a step fails the level stays as it is: the pool
     * drops a connection whose work failed.
     */
    private static <T> T inOneTransaction(Connection connection, int isolation, Steps<T> steps) throws SQLException {
        int own = connection.getTransactionIsolation();
        connection.setTransactionIsolation(isolation);
        T result = inOneTransaction(connection, steps);
        connection.setTransactionIsolation(own);
        return result;
    }

    /** Runs {@code steps} as one transaction: committed when all succeed, else rolled back. */
    private static <T> T inOneTransaction(Connection connection, Steps<T> steps) throws SQLException {
        connection.setAutoCommit(false);
        T result;
        try {
            result = steps.run();
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
        return result;
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
