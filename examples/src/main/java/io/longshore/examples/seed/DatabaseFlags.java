package io.longshore.examples.seed;

import io.longshore.examples.acts.DatabaseSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the seed main's database flags ({@code --database}, {@code --database-user},
 * {@code --database-password}) for {@link SeedOptionsParser}, then settles the database the
 * replicas share: the flags, else the environment given ({@value DatabaseSettings#URL_ENV},
 * {@value DatabaseSettings#USER_ENV}, {@value DatabaseSettings#PASSWORD_ENV}). Not
 * thread-safe; one use.
 */
final class DatabaseFlags {
    /** The database flags, the URL first. */
    private static final List<String> FLAGS = List.of("--database", "--database-user", "--database-password");
    private final Map<String, String> env;
    private Optional<String> url = Optional.empty();
    private Optional<String> user = Optional.empty();
    private Optional<String> password = Optional.empty();

    DatabaseFlags(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    static boolean isKnown(String flag) {
        return FLAGS.contains(flag);
    }

    /** Reads {@code flag}; false when it is not a database flag. */
    boolean apply(String flag, String value) {
        switch (flag) {
            case "--database" -> url = Optional.of(FlagValues.nonBlank(value, flag));
            case "--database-user" -> user = Optional.of(value);
            case "--database-password" -> password = Optional.of(value);
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * The flags, else the environment; empty for the embedded database. A user or password
     * without a URL ({@code given} are the flags on the command line) and an in-memory H2 URL
     * are refused.
     */
    Optional<DatabaseSettings> settings(Set<String> given) {
        Optional<String> found = url.or(() -> fromEnv(DatabaseSettings.URL_ENV));
        if (found.isEmpty()) {
            for (String flag : FLAGS.subList(1, FLAGS.size())) {
                if (given.contains(flag)) {
                    throw new UsageException(flag + " needs --database (or " + DatabaseSettings.URL_ENV + ")");
                }
            }
            return Optional.empty();
        }
        if (found.get().startsWith("jdbc:h2:mem:")) {
            throw new UsageException("--database " + found.get() + " would give every replica a database of its own;"
                    + " leave --database out for the shared H2 server");
        }
        try {
            return Optional.of(new DatabaseSettings(found.get(),
                    user.or(() -> fromEnv(DatabaseSettings.USER_ENV)).orElse(""),
                    password.or(() -> fromEnv(DatabaseSettings.PASSWORD_ENV)).orElse("")));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--database: " + e.getMessage());
        }
    }

    private Optional<String> fromEnv(String name) {
        return Optional.ofNullable(env.get(name)).filter(value -> !value.isBlank());
    }
}
