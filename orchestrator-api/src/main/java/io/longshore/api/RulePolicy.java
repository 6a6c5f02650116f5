package io.longshore.api;

import io.longshore.api.ScalingRule.Action;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The seed's extension: user rules of metric, window, threshold, action, factor and
 * cooldown. A rule fires when its metric crosses its threshold (above for scale-out, below
 * for scale-in) and its cooldown has passed since the last change. When a scale-out rule
 * fires, the largest scale-out wins and scale-in rules are ignored; otherwise the largest
 * scale-in applies. Immutable.
 */
final class RulePolicy implements ScalingPolicy {
    private final List<ScalingRule> rules;

    RulePolicy(List<ScalingRule> rules) {
        this.rules = List.copyOf(Objects.requireNonNull(rules, "rules"));
        if (this.rules.isEmpty()) {
            throw new IllegalArgumentException("rules must not be empty");
        }
    }

    @Override
    public int decide(ScalingContext context) {
        int current = context.currentReplicas();
        int out = current;
        int in = current;
        for (ScalingRule rule : rules) {
            if (!fires(rule, context)) {
                continue;
            }
            if (rule.action() == Action.SCALE_OUT) {
                out = Math.max(out, scaledOut(current, rule.factor()));
            } else {
                in = Math.min(in, scaledIn(current, rule.factor()));
            }
        }
        return out > current ? out : in;
    }

    private static boolean fires(ScalingRule rule, ScalingContext context) {
        if (!cooledDown(rule, context)) {
            return false;
        }
        double value = context.metrics().value(rule.metric(), rule.window());
        if (Double.isNaN(value)) {
            return false;
        }
        return rule.action() == Action.SCALE_OUT ? value > rule.threshold() : value < rule.threshold();
    }

    private static boolean cooledDown(ScalingRule rule, ScalingContext context) {
        Instant now = context.now();
        return context.lastScaledAt()
                .map(last -> !now.isBefore(last.plus(rule.cooldown())))
                .orElse(true);
    }

    static int scaledOut(int current, double factor) {
        long target = (long) Math.ceil(Math.max(current, 1) * factor);
        return (int) Math.min(Integer.MAX_VALUE, Math.max(target, current + 1L));
    }

    static int scaledIn(int current, double factor) {
        int target = (int) Math.floor(current / factor);
        return Math.max(0, Math.min(target, current - 1));
    }

    @Override
    public String toString() {
        return "rules" + rules;
    }
}
