package io.longshore.kubernetes.internal;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Kubernetes naming rules the runtime checks before the API server would: label keys and values,
 * and the DNS-1123 names it derives for pods and containers from a service name. Stateless.
 */
public final class Names {
    private static final int LABEL_MAX = 63;
    private static final int PREFIX_MAX = 253;
    /** Room left for {@code -<port>-<suffix>} in a pod name derived from a service name. */
    private static final int SERVICE_PART_MAX = 40;
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private Names() {
    }

    /** Why {@code labels} cannot go on a pod, or {@code null} when they can. */
    public static String labelProblem(Map<String, String> labels) {
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (!isLabelKey(label.getKey())) {
                return "label key '" + label.getKey() + "' is not a valid Kubernetes label key (an optional DNS"
                        + " prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending"
                        + " with a letter or digit)";
            }
            if (!isLabelValue(label.getValue())) {
                return "label " + label.getKey() + "='" + label.getValue() + "' has no valid Kubernetes label value"
                        + " (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)";
            }
        }
        return null;
    }

    public static boolean isLabelKey(String key) {
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.isEmpty() || prefix.length() > PREFIX_MAX || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return false;
            }
        }
        return name.length() <= LABEL_MAX && LABEL_NAME.matcher(name).matches();
    }

    public static boolean isLabelValue(String value) {
        return value.isEmpty() || (value.length() <= LABEL_MAX && LABEL_NAME.matcher(value).matches());
    }

    /** Whether {@code name} is a DNS-1123 label (a namespace or a container name). */
    public static boolean isDnsLabel(String name) {
        return name.length() <= LABEL_MAX && DNS_LABEL.matcher(name).matches();
    }

    /** Whether {@code name} is a DNS-1123 subdomain (a service account name). */
    public static boolean isDnsSubdomain(String name) {
        return name.length() <= PREFIX_MAX && DNS_SUBDOMAIN.matcher(name).matches();
    }

    /**
     * {@code service} as a DNS-1123 label of at most {@value #SERVICE_PART_MAX} characters: lower
     * case, anything else than letters and digits turned into '-', trimmed of leading and trailing
     * '-'; {@code replica} when nothing is left.
     */
    public static String dnsPart(String service) {
        String lower = service.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        if (lower.length() > SERVICE_PART_MAX) {
            lower = lower.substring(0, SERVICE_PART_MAX);
        }
        String trimmed = lower.replaceAll("^-+", "").replaceAll("-+$", "");
        return trimmed.isEmpty() ? "replica" : trimmed;
    }
}
