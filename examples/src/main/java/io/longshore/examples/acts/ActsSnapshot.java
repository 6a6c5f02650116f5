package io.longshore.examples.acts;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;

/**
 * The reads of one listing, all from one snapshot of the database: the transaction that
 * {@link ActsStore#readSnapshot} holds open on its connection while they run. Not thread-safe:
 * it belongs to the thread that runs the listing, and only for as long as the transaction lasts.
 */
final class ActsSnapshot {
    /** A category's number of acts; no row when the category does not exist. */
    static final String COUNT_IN_CATEGORY = "SELECT COUNT(a.act_id) FROM categories c"
            + " LEFT JOIN acts a ON a.category_name = c.name WHERE c.name = ? GROUP BY c.name";
    /** A range of a category's acts, in the order of their ids. */
    static final String ACTS_IN_CATEGORY = "SELECT act_id, username, ts, caption, category_name, img_b64 FROM acts"
            + " WHERE category_name = ? ORDER BY act_id LIMIT ? OFFSET ?";
    /** Rows a listing's cursor fetches at a time: one, since one act may hold an image of 2 000 000 characters. */
    private static final int ROWS_PER_FETCH = 1;

    /** Receives the acts of a listing one at a time ({@link #eachActIn}). */
    @FunctionalInterface
    interface ActSink {
        void accept(Act act) throws IOException;
    }

    /** Reads that run on one snapshot, and what they found. */
    @FunctionalInterface
    interface Reads<T> {
        T read(ActsSnapshot snapshot) throws SQLException, IOException;
    }

    private final Connection connection;

    ActsSnapshot(Connection connection) {
        this.connection = connection;
    }

    /** The number of acts in a category; empty when the category does not exist. */
    OptionalLong actCountIn(String category) throws SQLException {
        return countIn(connection, category);
    }

    /**
     * Hands the acts of {@code category} at positions {@code offset + 1} to {@code offset + limit}
     * in the order of their ids to {@code sink}, one at a time as the cursor reads them: the rows
     * are fetched {@value #ROWS_PER_FETCH} at a time, so however large the images only the act in
     * hand is held in memory. Nothing is handed over for a category that does not exist or
     * positions past its last act. An {@link IOException} of the sink ends the query and is thrown
     * as is.
     */
    void eachActIn(String category, long offset, int limit, ActSink sink) throws SQLException, IOException {
        try (PreparedStatement select = connection.prepareStatement(ACTS_IN_CATEGORY)) {
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
        }
    }

    /** The number of acts in a category, read on {@code connection}; empty when the category does not exist. */
    static OptionalLong countIn(Connection connection, String category) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(COUNT_IN_CATEGORY)) {
            select.setString(1, category);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
            }
        }
    }
}
