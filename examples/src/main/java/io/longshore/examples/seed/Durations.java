package io.longshore.examples.seed;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints durations the way the command line writes them: {@code 500ms},
 * {@code 10s}, {@code 2m}, {@code 1h}. Stateless.
 */
final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h)");
    /** The longest duration a flag takes, as the library's settings (which count in nanoseconds from now). */
    static final Duration MAX = Duration.ofDays(36_500);

    private Durations() {
    }

    /** A positive duration; the message of the exception says what is expected. */
    static Duration parse(String text, String flag) {
        Matcher matcher = text == null ? null : FORM.matcher(text.trim());
        if (matcher == null || !matcher.matches()) {
            throw new UsageException(flag + " expects a duration such as 500ms, 10s, 2m or 1h, was '" + text + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration duration = switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
        if (duration.isZero()) {
            throw new UsageException(flag + " must be positive, was '" + text + "'");
        }
        if (duration.compareTo(MAX) > 0) {
            throw new UsageException(flag + " must be at most 100 years (" + format(MAX) + "), was '" + text + "'");
        }
        return duration;
    }

    /** The shortest command-line form of {@code duration}. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1_000 == 0) {
            return millis / 1_000 + "s";
        }
        return millis + "ms";
    }
}
