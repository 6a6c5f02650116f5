package io.longshore.examples.acts;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

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
     */
    Response list(String category, String rawQuery) throws SQLException {
        Optional<ActRange> range = ActRange.fromQuery(rawQuery);
        if (range.isPresent() && range.get().size() > MAX_LISTED) {
            throw new ApiException(413, "the range " + range.get() + " spans " + range.get().size()
                    + " acts; a listing holds at most " + MAX_LISTED);
        }
        long count = count(category);
        if (range.isEmpty() && count > MAX_LISTED) {
            throw new ApiException(413, "category " + category + " holds " + count + " acts; a listing holds at most "
                    + MAX_LISTED + ": ask for them in ranges with ?start=S&end=E (1-based, at most "
                    + MAX_LISTED + " at a time)");
        }
        long offset = range.map(ActRange::offset).orElse(0L);
        int limit = range.map(r -> (int) r.size()).orElse(MAX_LISTED);
        return Response.streamed(200, out -> {
            out.writeStartArray();
            store.eachActIn(category, offset, limit, out::writeObject);
            out.writeEndArray();
        });
    }

    private long count(String category) throws SQLException {
        return store.actCountIn(category)
                .orElseThrow(() -> new ApiException(404, "no such category: " + category));
    }
}
