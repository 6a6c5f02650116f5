package io.longshore.examples.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value formats of a config file. Each parser takes the trimmed text and returns the value,
 * or throws an {@link IllegalArgumentException} whose message says what was expected (it
 * becomes the problem's message). Stateless.
 */
final class ValueFormats {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");
    private static final Pattern BYTES = Pattern.compile("(\\d{1,12})([kKmMgG]?)");

    /** The longest duration a setting takes, as the library's settings (which count in nanoseconds from now). */
    static final Duration MAX_DURATION = Duration.ofDays(36_500);

    private ValueFormats() {
    }

    static int integer(String text, int least, int most) {
        int number;
        try {
            number = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expects a whole number, was '" + text + "'");
        }
        if (number < least || number > most) {
            throw new IllegalArgumentException("must be in " + least + ".." + most + ", was " + number);
        }
        return number;
    }

    static double number(String text, double least, double most) {
        double number;
        try {
            number = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expects a number, was '" + text + "'");
        }
        if (!(number >= least && number <= most)) {
            throw new IllegalArgumentException("must be in " + least + ".." + most + ", was " + text);
        }
        return number;
    }

    /** {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}; zero only when {@code zeroAllowed}. */
    static Duration duration(String text, boolean zeroAllowed) {
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("expects a duration such as 500ms, 10s, 2m or 1h, was '" + text + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration duration = switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
        if (duration.isZero() && !zeroAllowed) {
            throw new IllegalArgumentException("must be longer than zero, was '" + text + "'");
        }
        if (duration.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("must be at most 100 years (876000h), was '" + text + "'");
        }
        return duration;
    }

    /** {@code 65536}, {@code 512k}, {@code 256m}, {@code 1g} (powers of 1024), more than zero and at most 2^63 - 1 bytes. */
    static long bytes(String text) {
        Matcher matcher = BYTES.matcher(text);
        if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
            throw new IllegalArgumentException("expects a size such as 65536, 512k, 256m or 1g, was '" + text + "'");
        }
        int shift = switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        long amount = Long.parseLong(matcher.group(1));
        long most = Long.MAX_VALUE >> shift;
        if (amount > most) {
            throw new IllegalArgumentException("is too large: at most " + most + matcher.group(2) + ", was '"
                    + text + "'");
        }
        return amount << shift;
    }

    /** {@code duration} as a file would spell it: the largest unit that divides it. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
