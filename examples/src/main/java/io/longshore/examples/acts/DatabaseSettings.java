package io.longshore.examples.acts;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the acts service keeps its categories and acts: a JDBC URL with a user and a password.
 * Every replica of the service gets the same settings, in the environment variables
 * {@value #URL_ENV}, {@value #USER_ENV} and {@value #PASSWORD_ENV}, so they all share one
 * database. {@link #toString()} never shows the password. Immutable.
 *
 * @param url      the JDBC URL, e.g. {@code jdbc:postgresql://127.0.0.1:5432/acts}
 * @param user     the user; empty when the URL or the driver supplies it
 * @param password the password; empty when none is needed
 */
public record DatabaseSettings(String url, String user, String password) {
    /** The environment variable with the JDBC URL. */
    public static final String URL_ENV = "ACTS_DATABASE_URL";
    /** The environment variable with the database user. */
    public static final String USER_ENV = "ACTS_DATABASE_USER";
    /** The environment variable with the database password. */
    public static final String PASSWORD_ENV = "ACTS_DATABASE_PASSWORD";
    private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)(password=)[^&;]*");

    public DatabaseSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        url = url.trim();
        if (!url.startsWith("jdbc:") || url.length() == "jdbc:".length()) {
            throw new IllegalArgumentException("a database URL is a JDBC URL starting with jdbc:, was '"
                    + redact(url) + "'");
        }
    }

    /** The settings in {@code env}, when it has {@value #URL_ENV}; user and password default to empty. */
    public static Optional<DatabaseSettings> fromEnvironment(Map<String, String> env) {
        String url = env.get(URL_ENV);
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new DatabaseSettings(url, env.getOrDefault(USER_ENV, ""),
                env.getOrDefault(PASSWORD_ENV, "")));
    }

    /** The environment variables that hand these settings to a replica. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(URL_ENV, url);
        env.put(USER_ENV, user);
        env.put(PASSWORD_ENV, password);
        return env;
    }

    /** The URL (any {@code password=} in it hidden) and the user, for logs. */
    public String describe() {
        return redact(url) + (user.isEmpty() ? "" : " as " + user);
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + redact(url) + ", user=" + user + ", password="
                + (password.isEmpty() ? "" : "***") + "]";
    }

    private static String redact(String url) {
        return PASSWORD_IN_URL.matcher(url).replaceAll("$1***");
    }
}
