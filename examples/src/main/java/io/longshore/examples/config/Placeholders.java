package io.longshore.examples.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves the placeholders a config file's strings may hold: {@code ${java}} (this JVM's
 * {@code java} binary), {@code ${classpath}} (this JVM's class path, e.g. the seed jar) and
 * {@code ${env:NAME}} (an environment variable, which must be set); {@code $$} is a literal
 * {@code $}, and a {@code ${} without its closing brace is a problem. Immutable; thread-safe.
 */
public final class Placeholders {
    /** {@code $$}, {@code ${name}}, or a {@code ${} that is never closed (group 2). */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\$|\\$\\{([^}]*)}|(\\$\\{)");

    private final Map<String, String> values;
    private final UnaryOperator<String> environment;

    /**
     * @param values      the fixed placeholders by name ({@code java}, {@code classpath})
     * @param environment reads an environment variable, null when unset
     */
    public Placeholders(Map<String, String> values, UnaryOperator<String> environment) {
        this.values = Map.copyOf(values);
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /** This JVM's binary and class path, and the process environment. */
    public static Placeholders ofThisJvm() {
        String binary = ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return new Placeholders(Map.of("java", binary, "classpath", System.getProperty("java.class.path", "")),
                System::getenv);
    }

    /** {@code text} with every placeholder replaced; null when one is unknown (reported against {@code where}). */
    String resolve(String text, ConfigNode where) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        boolean resolved = true;
        while (matcher.find()) {
            String value = matcher.group(2) != null ? unclosed(where) : value(matcher.group(1), where);
            resolved &= value != null;
            matcher.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        matcher.appendTail(out);
        return resolved ? out.toString() : null;
    }

    /** A {@code ${} without its {@code }}: a typo that would otherwise reach a command or a token as text. */
    private static String unclosed(ConfigNode where) {
        where.problem("a placeholder '${' has no closing '}'; write $${ for a literal ${");
        return null;
    }

    private String value(String name, ConfigNode where) {
        if (name == null) {
            return "$";
        }
        if (name.startsWith("env:")) {
            String value = environment.apply(name.substring(4));
            if (value == null) {
                where.problem("environment variable " + name.substring(4) + " is not set");
                return null;
            }
            return value;
        }
        String value = values.get(name);
        if (value == null) {
            where.problem("unknown placeholder ${" + name + "}; known: ${java}, ${classpath}, ${env:NAME}");
            return null;
        }
        return value;
    }
}
