package io.longshore.examples.acts;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A few JDBC connections to the acts database, opened on demand and kept for reuse. A
 * connection is checked before it is handed out again, and one whose work failed is closed
 * rather than kept, so a database that went away and came back costs no more than the requests
 * made while it was away. Thread-safe.
 */
final class ConnectionPool implements AutoCloseable {
    /** How long checking a kept connection may take. */
    static final int VALIDATION_TIMEOUT_SECONDS = 2;

    /** Work on one connection. */
    @FunctionalInterface
    interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    /** Opens a new connection. */
    @FunctionalInterface
    interface Connector {
        Connection connect() throws SQLException;
    }

    private final Connector connector;
    private final int maxIdle;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private boolean closed;

    /** At most {@code maxIdle} connections are kept between uses. */
    ConnectionPool(DatabaseSettings settings, int maxIdle) {
        this(connectorTo(settings), maxIdle);
    }

    /** At most {@code maxIdle} connections are kept between uses; new ones come from {@code connector}. */
    ConnectionPool(Connector connector, int maxIdle) {
        if (maxIdle < 1) {
            throw new IllegalArgumentException("maxIdle must be at least 1, was " + maxIdle);
        }
        this.connector = connector;
        this.maxIdle = maxIdle;
    }

    /** Opens connections to the database {@code settings} name, through {@link DriverManager}. */
    static Connector connectorTo(DatabaseSettings settings) {
        return () -> DriverManager.getConnection(settings.url(), settings.user(), settings.password());
    }

    /** Runs {@code work} on a connection; the connection is kept only when the work succeeded. */
    <T> T apply(Work<T> work) throws SQLException {
        Connection connection = borrow();
        boolean healthy = false;
        try {
            T result = work.apply(connection);
            healthy = true;
            return result;
        } finally {
            release(connection, healthy);
        }
    }

    private Connection borrow() throws SQLException {
        for (Connection kept = poll(); kept != null; kept = poll()) {
            if (isValid(kept)) {
                return kept;
            }
            closeQuietly(kept);
        }
        return connector.connect();
    }

    private synchronized Connection poll() throws SQLException {
        if (closed) {
            throw new SQLException("the connection pool is closed");
        }
        return idle.pollFirst();
    }

    private void release(Connection connection, boolean healthy) {
        synchronized (this) {
            if (healthy && !closed && idle.size() < maxIdle) {
                idle.addFirst(connection);
                return;
            }
        }
        closeQuietly(connection);
    }

    private static boolean isValid(Connection connection) {
        try {
            return connection.isValid(VALIDATION_TIMEOUT_SECONDS) && connection.getAutoCommit();
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        Connection[] open;
        synchronized (this) {
            closed = true;
            open = idle.toArray(Connection[]::new);
            idle.clear();
        }
        for (Connection connection : open) {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException | RuntimeException e) {
            // a broken connection may fail to close; it is dropped either way
        }
    }
}
