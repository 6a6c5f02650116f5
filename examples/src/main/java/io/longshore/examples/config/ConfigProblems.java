package io.longshore.examples.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

/** Collects the problems of one read of one file. Not thread-safe; one read. */
final class ConfigProblems {
    private final String file;
    private final Placeholders placeholders;
    private final List<ConfigProblem> problems = new ArrayList<>();

    ConfigProblems(String file, Placeholders placeholders) {
        this.file = file;
        this.placeholders = placeholders;
    }

    Placeholders placeholders() {
        return placeholders;
    }

    void add(Node node, String key, String message) {
        add(node.getStartMark(), key, message);
    }

    void add(Mark mark, String key, String message) {
        int line = mark == null ? 1 : mark.getLine() + 1;
        int column = mark == null ? 1 : mark.getColumn() + 1;
        ConfigProblem problem = new ConfigProblem(file, line, column, key, message);
        if (!problems.contains(problem)) { // a value read twice is reported once
            problems.add(problem);
        }
    }

    /** Throws a {@link ConfigException} with every problem, in file order, if there is any. */
    void throwIfAny() {
        if (!problems.isEmpty()) {
            List<ConfigProblem> sorted = new ArrayList<>(problems);
            sorted.sort(Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column));
            throw new ConfigException(sorted);
        }
    }
}
