package io.longshore.examples.acts;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The acts of one category: {@code GET categories/NAME/acts} lists them all when they are at
 * most {@value #MAX_LISTED}, {@code ?start=S&end=E} lists those at positions S to E
 * ({@link ActRange}, at most {@value #MAX_LISTED} of them), and {@code acts/size} counts them.
 * Listings are in the order of the acts' ids and are {@link Response#streamed streamed} act by
 * act from the database, so that an answer never holds more than one act's image in memory. A
 * category that does not exist is a 404, a listing of more than {@value #MAX_LISTED} acts a 413.
 * Thread-safe.
 */
final class CategoryActs {
    /** The most acts one listing answers with (SelfieLessActs' bound); a listing of more is a 413. */
    static final int MAX_LISTED = 100;

    private final ActsStore store;

    CategoryActs(ActsStore store) {
        this.store = store;
    }

    /** {@code [n]}: the number of acts in {@code category}. */
    Response size(String category) throws SQLException {
        return Response.ok(List.of(count(category)));
    }

    /**
     * The acts of {@code category} that {@code rawQuery} asks for: the range it names, or all of
     * them. A range past the last act lists only those there are (none when it starts past it).
     * The count that decides the answer and the acts it lists are read from one snapshot of the
     * database ({@link ActsStore#readSnapshot}): acts that other replicas add meanwhile never make
     * a listing of a category of more than {@value #MAX_LISTED} acts look whole.
     */
    Response list(String category, String rawQuery) {
        Optional<ActRange> range = ActRange.fromQuery(rawQuery);
        if (range.isPresent() && range.get().size() > MAX_LISTED) {
            throw new ApiException(413, "the range " + range.get() + " spans " + range.get().size()
                    + " acts; a listing holds at most " + MAX_LISTED);
        }
        return Response.streamed(head -> {
            Optional<ApiException> refusal = store.readSnapshot(snapshot -> send(snapshot, category, range, head));
            if (refusal.isPresent()) {
                throw refusal.get();
            }
        });
    }

    /**
     * Sends the listing through {@code head}, or returns why not before anything is sent (a
     * refusal is returned rather than thrown, so that the read-only transaction ends well and
     * the pool keeps its connection).
     */
    private static Optional<ApiException> send(ActsSnapshot snapshot, String category, Optional<ActRange> range,
            JsonStream.Head head) throws SQLException, IOException {
        OptionalLong count = snapshot.actCountIn(category);
        if (count.isEmpty()) {
            return Optional.of(noSuchCategory(category));
        }
        if (range.isEmpty() && count.getAsLong() > MAX_LISTED) {
            return Optional.of(new ApiException(413, "category " + category + " holds " + count.getAsLong()
                    + " acts; a listing holds at most " + MAX_LISTED + ": ask for them in ranges with"
                    + " ?start=S&end=E (1-based, at most " + MAX_LISTED + " at a time)"));
        }
        Optional<JsonGenerator> body = head.send(200);
        if (body.isPresent()) {
            body.get().writeStartArray();
            snapshot.eachActIn(category, range.map(ActRange::offset).orElse(0L),
                    range.map(r -> (int) r.size()).orElse(MAX_LISTED), body.get()::writeObject);
            body.get().writeEndArray();
        }
        return Optional.empty();
    }

    private long count(String category) throws SQLException {
        return store.actCountIn(category).orElseThrow(() -> noSuchCategory(category));
    }

    private static ApiException noSuchCategory(String category) {
        return new ApiException(404, "no such category: " + category);
    }
}
