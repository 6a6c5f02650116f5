package io.longshore.examples.seed;

import io.longshore.api.Endpoint;
import io.longshore.core.OrphanPolicy;
import io.longshore.examples.seed.SeedOptions.RuntimeKind;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses the values of the seed main's flags, one value at a time: whole numbers, ports, paths,
 * the runtime, the orphan policy, a Kubernetes namespace and a list of backends. Each refuses a
 * bad value with a {@link UsageException} that names the flag and says what it expects;
 * durations are {@link Durations}'. Stateless.
 */
final class FlagValues {
    private FlagValues() {
    }

    /** A whole number of at least {@code least}. */
    static int integer(String value, String flag, int least) {
        int number;
        try {
            number = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " expects a whole number, was '" + value + "'");
        }
        if (number < least) {
            throw new UsageException(flag + " must be at least " + least + ", was " + number);
        }
        return number;
    }

    /** A port in 1..65535. */
    static int port(String value, String flag) {
        int port = integer(value, flag, 1);
        if (port > 65_535) {
            throw new UsageException(flag + " must be a port in 1..65535, was " + value);
        }
        return port;
    }

    /** The value trimmed; it must not be blank. */
    static String nonBlank(String value, String flag) {
        if (value.isBlank()) {
            throw new UsageException(flag + " must not be blank");
        }
        return value.trim();
    }

    /** A path this platform can use; it must not be blank. */
    static Path path(String value, String flag) {
        try {
            return Path.of(nonBlank(value, flag));
        } catch (InvalidPathException e) {
            throw new UsageException(flag + " is not a usable path: " + e.getMessage());
        }
    }

    /** {@code auto}, {@code process}, {@code docker} or {@code kubernetes}, in any case. */
    static RuntimeKind runtimeKind(String value) {
        try {
            return RuntimeKind.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--runtime must be auto, process, docker or kubernetes, was '" + value + "'");
        }
    }

    /** {@code adopt} or {@code die-with-parent}, in any case. */
    static OrphanPolicy orphanPolicy(String value, String flag) {
        for (OrphanPolicy policy : OrphanPolicy.values()) {
            if (SeedOptions.flagValue(policy).equals(value.trim().toLowerCase(Locale.ROOT))) {
                return policy;
            }
        }
        throw new UsageException(flag + " must be adopt or die-with-parent, was '" + value + "'");
    }

    /** A Kubernetes namespace name: lower-case letters, digits and '-', at most 63. */
    static String namespace(String value, String flag) {
        String name = nonBlank(value, flag);
        if (!name.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw new UsageException(flag + " must be a Kubernetes namespace name (lower-case letters, digits and"
                    + " '-', at most 63), was '" + value + "'");
        }
        return name;
    }

    /** {@code host:port,host:port,...}. */
    static List<Endpoint> endpoints(String value, String flag) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (String part : value.split(",")) {
            try {
                endpoints.add(Endpoint.parse(part.trim()));
            } catch (IllegalArgumentException e) {
                throw new UsageException(flag + " expects host:port,host:port,... but got '" + part.trim()
                        + "': " + e.getMessage());
            }
        }
        return List.copyOf(endpoints);
    }
}
