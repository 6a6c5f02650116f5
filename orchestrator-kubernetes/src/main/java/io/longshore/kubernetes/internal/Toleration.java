package io.longshore.kubernetes.internal;

import java.util.Objects;
import java.util.Set;

/**
 * One toleration every pod carries, as in a pod spec, checked as the API server checks it (key a
 * label key, value a label value), so a typo fails the builder rather than every pod's create.
 * Immutable; built by {@link io.longshore.kubernetes.KubernetesRuntimeBuilder#toleration}.
 *
 * @param key      the taint key, empty with {@code Exists} to tolerate every taint
 * @param operator {@code Equal} or {@code Exists}
 * @param value    the taint value ({@code Equal} only; empty with {@code Exists})
 * @param effect   {@code NoSchedule}, {@code PreferNoSchedule}, {@code NoExecute}, or empty for all
 */
public record Toleration(String key, String operator, String value, String effect) {
    static final Set<String> OPERATORS = Set.of("Equal", "Exists");
    static final Set<String> EFFECTS = Set.of("", "NoSchedule", "PreferNoSchedule", "NoExecute");

    public Toleration {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (!OPERATORS.contains(operator)) {
            throw new IllegalArgumentException("toleration operator must be Equal or Exists, was '" + operator + "'");
        }
        if (!EFFECTS.contains(effect)) {
            throw new IllegalArgumentException("toleration effect must be NoSchedule, PreferNoSchedule, NoExecute or"
                    + " empty (all effects), was '" + effect + "'");
        }
        if (operator.equals("Exists") && !value.isEmpty()) {
            throw new IllegalArgumentException("a toleration with operator Exists takes no value, was '" + value + "'");
        }
        if (operator.equals("Equal") && key.isEmpty()) {
            throw new IllegalArgumentException("a toleration with operator Equal needs a key");
        }
        if (!key.isEmpty() && !Names.isLabelKey(key)) {
            throw new IllegalArgumentException("toleration key '" + key + "' is not a valid Kubernetes label key (an"
                    + " optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and"
                    + " ending with a letter or digit)");
        }
        if (!Names.isLabelValue(value)) {
            throw new IllegalArgumentException("toleration value '" + value + "' is not a valid Kubernetes label value"
                    + " (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)");
        }
    }

    io.fabric8.kubernetes.api.model.Toleration toModel() {
        return new io.fabric8.kubernetes.api.model.TolerationBuilder()
                .withKey(key.isEmpty() ? null : key)
                .withOperator(operator)
                .withValue(value.isEmpty() ? null : value)
                .withEffect(effect.isEmpty() ? null : effect)
                .build();
    }
}
