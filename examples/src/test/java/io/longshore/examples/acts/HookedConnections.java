package io.longshore.examples.acts;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Connections to a test database that misbehave on cue around the statements whose SQL starts
 * with a given text, for what no real database does when a test needs it: a hook runs (once)
 * just before such a statement is prepared, as another replica changing the database between
 * two statements of the code under test, and the statement's result sets can fail at a given
 * row, as a database that goes away in the middle of a listing. Everything else goes to the
 * real connection. Thread-safe.
 */
final class HookedConnections implements ConnectionPool.Connector {
    /** Something done to the database from outside the connection. */
    @FunctionalInterface
    interface Hook {
        void run() throws Exception;
    }

    private final DatabaseSettings database;
    private final String sqlPrefix;
    private final AtomicReference<Hook> beforePreparing = new AtomicReference<>();
    private volatile int failingRow;

    /** Connections to {@code database} whose statements starting with {@code sqlPrefix} are hooked. */
    HookedConnections(DatabaseSettings database, String sqlPrefix) {
        this.database = database;
        this.sqlPrefix = sqlPrefix;
    }

    /** Runs {@code hook} before the next hooked statement is prepared, and only then. */
    HookedConnections onceBeforePreparing(Hook hook) {
        beforePreparing.set(hook);
        return this;
    }

    /** Makes every result set of a hooked statement throw from the {@code next()} that would reach row {@code row}. */
    HookedConnections failingAtRow(int row) {
        failingRow = row;
        return this;
    }

    @Override
    public Connection connect() throws SQLException {
        Connection real = DriverManager.getConnection(database.url(), database.user(), database.password());
        return proxy(Connection.class, (proxy, method, args) -> {
            if (method.getName().equals("prepareStatement") && String.valueOf(args[0]).startsWith(sqlPrefix)) {
                Hook hook = beforePreparing.getAndSet(null);
                if (hook != null) {
                    hook.run();
                }
                return hooked((PreparedStatement) invoke(real, method, args));
            }
            return invoke(real, method, args);
        });
    }

    private PreparedStatement hooked(PreparedStatement real) {
        return proxy(PreparedStatement.class, (proxy, method, args) -> {
            Object result = invoke(real, method, args);
            return method.getName().equals("executeQuery") ? hooked((ResultSet) result) : result;
        });
    }

    private ResultSet hooked(ResultSet real) {
        AtomicInteger rows = new AtomicInteger();
        return proxy(ResultSet.class, (proxy, method, args) -> {
            if (method.getName().equals("next") && failingRow > 0 && rows.incrementAndGet() == failingRow) {
                throw new SQLException("row " + failingRow + " cannot be read (a test double)");
            }
            return invoke(real, method, args);
        });
    }

    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
