package io.longshore.examples.acts;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which acts of a category a listing asks for: the positions {@code start} to {@code end}
 * (1-based, both included) in the order of the acts' ids, named by {@code ?start=S&end=E}.
 * Immutable.
 *
 * @param start the first position, at least 1
 * @param end   the last position, at least {@code start}
 */
record ActRange(long start, long end) {
    /** A position as the query writes it: a whole number of at most 18 digits (so it fits a long). */
    private static final Pattern POSITION = Pattern.compile("[0-9]{1,18}");

    ActRange {
        if (start < 1) {
            throw new IllegalArgumentException("start must be at least 1, was " + start);
        }
        if (end < start) {
            throw new IllegalArgumentException("end must not be before start (" + start + "), was " + end);
        }
    }

    /**
     * The range {@code rawQuery} names; empty when it names neither {@code start} nor
     * {@code end}. Other parameters are ignored. A 400 when only one of them is there, either is
     * there twice or is not a whole number, or the range is not one of {@link ActRange}'s.
     */
    static Optional<ActRange> fromQuery(String rawQuery) {
        String start = null;
        String end = null;
        for (String parameter : rawQuery == null || rawQuery.isEmpty() ? new String[0] : rawQuery.split("&", -1)) {
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            String value = equals < 0 ? "" : parameter.substring(equals + 1);
            if (name.equals("start")) {
                start = once(start, value, name);
            } else if (name.equals("end")) {
                end = once(end, value, name);
            }
        }
        if (start == null && end == null) {
            return Optional.empty();
        }
        if (start == null || end == null) {
            throw badRequest("start and end go together (?start=S&end=E), was ?" + rawQuery);
        }
        try {
            return Optional.of(new ActRange(position(start, "start"), position(end, "end")));
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
    }

    /** The number of acts before {@code start}. */
    long offset() {
        return start - 1;
    }

    /** The number of positions it spans. */
    long size() {
        return end - start + 1;
    }

    @Override
    public String toString() {
        return start + ".." + end;
    }

    private static String once(String earlier, String value, String name) {
        if (earlier != null) {
            throw badRequest(name + " is given twice");
        }
        return value;
    }

    private static long position(String value, String name) {
        if (!POSITION.matcher(value).matches()) {
            throw badRequest(name + " must be a whole number from 1 to 999999999999999999, was '" + value + "'");
        }
        return Long.parseLong(value);
    }

    private static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }
}
