package io.longshore.examples.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One node of a config file with its dotted key path, read through typed getters that check
 * the value and report a problem with the line and key instead of throwing, so that one read
 * finds every problem. A mapping remembers which keys were asked for; {@link #rejectUnknown()}
 * reports the others. Strings go through {@link Placeholders}. Not thread-safe; one read.
 */
public final class ConfigNode {
    private final Node node;
    /** The key this node is the value of; null for the root and list items. */
    private final Node keyNode;
    private final String path;
    private final ConfigProblems problems;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Set<String> asked = new LinkedHashSet<>();

    ConfigNode(Node node, String path, ConfigProblems problems) {
        this(node, null, path, problems);
    }

    private ConfigNode(Node node, Node keyNode, String path, ConfigProblems problems) {
        this.node = node;
        this.keyNode = keyNode;
        this.path = path;
        this.problems = problems;
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                String key = tuple.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : null;
                if (key == null) {
                    problems.add(tuple.getKeyNode(), path, "keys must be plain words");
                } else if (entries.putIfAbsent(key, tuple) != null) {
                    problems.add(tuple.getKeyNode(), join(path, key), "is given twice");
                }
            }
        }
    }

    /** The dotted key path, e.g. {@code services.acts.probe}. */
    public String path() {
        return path;
    }

    /** The 1-based line of the node: a single value's own, a mapping's or list's key. */
    public int line() {
        return blamed().getStartMark().getLine() + 1;
    }

    /** Reports {@code message} against this node (a single value where it stands, a mapping or list at its key). */
    public void problem(String message) {
        problems.add(blamed(), path, message);
    }

    private Node blamed() {
        return keyNode == null || node instanceof ScalarNode ? node : keyNode;
    }

    public boolean isMapping() {
        return node instanceof MappingNode;
    }

    public boolean isSequence() {
        return node instanceof SequenceNode;
    }

    public boolean isScalar() {
        return node instanceof ScalarNode scalar && scalar.getTag() != Tag.NULL;
    }

    /** Reports a problem unless this is a mapping; returns whether it is. */
    public boolean requireMapping() {
        if (!isMapping()) {
            problem("expects a mapping of keys to values");
            return false;
        }
        return true;
    }

    /** Whether the mapping has {@code key} (asking counts: the key is then known). */
    public boolean has(String key) {
        asked.add(key);
        return entries.containsKey(key);
    }

    /** The value under {@code key}; empty when absent. An empty value counts as absent. */
    public Optional<ConfigNode> child(String key) {
        asked.add(key);
        NodeTuple tuple = entries.get(key);
        if (tuple == null) {
            return Optional.empty();
        }
        Node value = tuple.getValueNode();
        if (value instanceof ScalarNode scalar && scalar.getTag() == Tag.NULL) {
            problems.add(value, join(path, key), "needs a value");
            return Optional.empty();
        }
        return Optional.of(new ConfigNode(value, tuple.getKeyNode(), join(path, key), problems));
    }

    /**
     * The mapping under {@code key}; an empty one (placed at this node) when the key is absent
     * or its value is not a mapping (then with a problem), so a section's defaults read alike.
     */
    public ConfigNode section(String key) {
        Optional<ConfigNode> child = child(key);
        if (child.isPresent() && child.get().requireMapping()) {
            return child.get();
        }
        MappingNode empty = new MappingNode(Tag.MAP, true, List.of(), blamed().getStartMark(), blamed().getEndMark(),
                DumperOptions.FlowStyle.BLOCK);
        return new ConfigNode(empty, join(path, key), problems);
    }

    /** Every key of the mapping with its value, in file order; all count as known. */
    public Map<String, ConfigNode> children() {
        Map<String, ConfigNode> children = new LinkedHashMap<>();
        for (String key : entries.keySet()) {
            child(key).ifPresent(child -> children.put(key, child));
        }
        return children;
    }

    /** Reports every key of the mapping that no getter asked for. */
    public void rejectUnknown() {
        for (Map.Entry<String, NodeTuple> entry : entries.entrySet()) {
            if (!asked.contains(entry.getKey())) {
                problems.add(entry.getValue().getKeyNode(), join(path, entry.getKey()),
                        "unknown key" + (asked.isEmpty() ? "" : "; known here: " + String.join(", ", asked)));
            }
        }
    }

    /**
     * This scalar's text with its placeholders resolved; null (and a problem) when it is not a
     * scalar or a placeholder is unknown.
     */
    public String text() {
        if (!isScalar()) {
            problem("expects a single value, not a list or mapping");
            return null;
        }
        return problems.placeholders().resolve(((ScalarNode) node).getValue(), this);
    }

    /** The items of this sequence; empty (and a problem) when it is not one. */
    public List<ConfigNode> items() {
        if (!(node instanceof SequenceNode sequence)) {
            problem("expects a list");
            return List.of();
        }
        List<ConfigNode> items = new ArrayList<>();
        for (int i = 0; i < sequence.getValue().size(); i++) {
            items.add(new ConfigNode(sequence.getValue().get(i), path + "[" + i + "]", problems));
        }
        return items;
    }

    public String string(String key, String fallback) {
        return child(key).map(ConfigNode::text).orElse(fallback);
    }

    public Optional<String> string(String key) {
        return child(key).map(ConfigNode::text);
    }

    /** One of {@code allowed} (case-insensitive, returned lower-case). */
    public String choice(String key, String fallback, List<String> allowed) {
        Optional<ConfigNode> child = child(key);
        if (child.isEmpty()) {
            return fallback;
        }
        String value = child.get().text();
        if (value == null) {
            return fallback;
        }
        String lower = value.trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(lower)) {
            child.get().problem("must be one of " + String.join(", ", allowed) + ", was '" + value + "'");
            return fallback;
        }
        return lower;
    }

    public int integer(String key, int fallback, int least, int most) {
        return integer(key, least, most).orElse(fallback);
    }

    /** A whole number in {@code least..most}; empty when absent or wrong (then with a problem). */
    public OptionalInt integer(String key, int least, int most) {
        Optional<Integer> value = value(key, text -> ValueFormats.integer(text, least, most));
        return value.isPresent() ? OptionalInt.of(value.get()) : OptionalInt.empty();
    }

    public double number(String key, double fallback, double least, double most) {
        return value(key, text -> ValueFormats.number(text, least, most)).orElse(fallback);
    }

    public boolean bool(String key, boolean fallback) {
        return switch (choice(key, String.valueOf(fallback), List.of("true", "false"))) {
            case "true" -> true;
            default -> false;
        };
    }

    /** As {@link #duration(String, Duration, boolean)}; empty when absent or wrong. */
    public Optional<Duration> duration(String key, boolean zeroAllowed) {
        return value(key, text -> ValueFormats.duration(text, zeroAllowed));
    }

    /** A duration such as {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}; zero only when {@code zeroAllowed}. */
    public Duration duration(String key, Duration fallback, boolean zeroAllowed) {
        return duration(key, zeroAllowed).orElse(fallback);
    }

    /** A size in bytes such as {@code 65536}, {@code 512k}, {@code 256m}, {@code 1g} (powers of 1024). */
    public long bytes(String key, long fallback) {
        return value(key, ValueFormats::bytes).orElse(fallback);
    }

    /** The value under {@code key} parsed by {@code format}; empty when absent, or wrong (then with a problem). */
    private <T> Optional<T> value(String key, Function<String, T> format) {
        Optional<ConfigNode> child = child(key);
        String text = child.map(ConfigNode::text).orElse(null);
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(format.apply(text.trim()));
        } catch (IllegalArgumentException e) {
            child.get().problem(e.getMessage());
            return Optional.empty();
        }
    }

    /** A list of strings; empty when absent. */
    public List<String> strings(String key) {
        List<String> values = new ArrayList<>();
        child(key).ifPresent(list -> list.items().forEach(item -> {
            String text = item.text();
            if (text != null) {
                values.add(text);
            }
        }));
        return values;
    }

    /** A mapping of names to strings; empty when absent. */
    public Map<String, String> stringMap(String key) {
        Map<String, String> values = new LinkedHashMap<>();
        child(key).filter(ConfigNode::requireMapping).ifPresent(map -> map.children().forEach((name, value) -> {
            String text = value.text();
            if (text != null) {
                values.put(name, text);
            }
        }));
        return values;
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
