package io.longshore.kubernetes.internal;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pod-template overlay: a partial Pod manifest (YAML or JSON) merged with every pod the
 * runtime makes, for everything the runtime does not set itself (volumes, sidecars, security
 * context, affinity, priority class, annotations, ...).
 *
 * <p>Merge rules, the runtime's pod on top of the overlay: maps merge key by key; where both give
 * a value, the runtime's wins. Lists whose items all have a {@code name} (containers, env, ports)
 * merge item by item by name, the runtime's items first; other lists of objects (tolerations)
 * keep the overlay's items and add the runtime's; lists of strings (args) are the runtime's.
 * So an overlay container named like the replica's container merges into it and any other
 * container is a sidecar. Immutable; thread-safe.
 */
public final class PodOverlay {
    private static final Set<String> TOP_LEVEL = Set.of("apiVersion", "kind", "metadata", "spec");

    private final Map<String, Object> template;
    /** Converts pods to maps and back; {@code null} without an overlay. */
    private final KubernetesSerialization serialization;

    private PodOverlay(Map<String, Object> template, KubernetesSerialization serialization) {
        this.template = template;
        this.serialization = serialization;
    }

    /** No overlay: pods are exactly what the runtime makes. */
    public static PodOverlay none() {
        return new PodOverlay(Map.of(), null);
    }

    /**
     * Parses a Pod manifest, a PodTemplate's {@code template}, or just {@code metadata} and
     * {@code spec}. Throws {@link IllegalArgumentException} saying what is wrong.
     */
    public static PodOverlay parse(String manifest) {
        KubernetesSerialization serialization = new KubernetesSerialization();
        Object parsed;
        try {
            parsed = serialization.unmarshal(manifest, Object.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("podOverlay is not valid YAML or JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("podOverlay must be one Pod manifest (a YAML or JSON object), was "
                    + (parsed == null ? "empty" : parsed.getClass().getSimpleName()));
        }
        Map<String, Object> template = podPart(stringKeys(map));
        try {
            serialization.convertValue(template, Pod.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("podOverlay does not describe a pod: " + e.getMessage(), e);
        }
        return new PodOverlay(template, serialization);
    }

    private static Map<String, Object> podPart(Map<String, Object> manifest) {
        Object kind = manifest.get("kind");
        if ("PodTemplate".equals(kind) && manifest.get("template") instanceof Map<?, ?> inner) {
            return podPart(stringKeys(inner));
        }
        if (kind != null && !"Pod".equals(kind)) {
            throw new IllegalArgumentException("podOverlay must be a Pod (or PodTemplate), was kind " + kind);
        }
        for (String key : manifest.keySet()) {
            if (!TOP_LEVEL.contains(key)) {
                throw new IllegalArgumentException("podOverlay may hold apiVersion, kind, metadata and spec, not '"
                        + key + "'");
            }
        }
        return manifest;
    }

    /** {@code pod} merged onto the overlay; {@code pod} itself when there is no overlay. */
    Pod apply(Pod pod) {
        if (template.isEmpty()) {
            return pod;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> generated = serialization.convertValue(pod, Map.class);
        return serialization.convertValue(merge(template, generated), Pod.class);
    }

    /** {@code top} merged onto {@code base} by the rules of the class comment; neither is changed. */
    static Object merge(Object base, Object top) {
        if (top == null) {
            return base;
        }
        if (base instanceof Map<?, ?> baseMap && top instanceof Map<?, ?> topMap) {
            Map<String, Object> result = new LinkedHashMap<>(stringKeys(baseMap));
            stringKeys(topMap).forEach((key, value) -> result.put(key, merge(result.get(key), value)));
            return result;
        }
        if (base instanceof List<?> baseList && top instanceof List<?> topList) {
            return mergeLists(baseList, topList);
        }
        return top;
    }

    private static List<Object> mergeLists(List<?> base, List<?> top) {
        if (allNamed(base) && allNamed(top)) {
            Map<Object, Object> baseByName = new HashMap<>();
            base.forEach(item -> baseByName.put(((Map<?, ?>) item).get("name"), item));
            List<Object> result = new ArrayList<>();
            for (Object item : top) {
                result.add(merge(baseByName.remove(((Map<?, ?>) item).get("name")), item));
            }
            base.stream().filter(item -> baseByName.containsKey(((Map<?, ?>) item).get("name"))).forEach(result::add);
            return result;
        }
        if (allMaps(base) && allMaps(top)) {
            List<Object> result = new ArrayList<>(base);
            top.stream().filter(item -> !base.contains(item)).forEach(result::add);
            return result;
        }
        return new ArrayList<>(top);
    }

    private static boolean allMaps(List<?> items) {
        return items.stream().allMatch(item -> item instanceof Map);
    }

    private static boolean allNamed(List<?> items) {
        return items.stream().allMatch(item -> item instanceof Map<?, ?> map && map.get("name") != null);
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> result = new LinkedHashMap<>();
        map.forEach((key, value) -> result.put(String.valueOf(key), value));
        return result;
    }

    @Override
    public String toString() {
        return template.isEmpty() ? "no pod overlay" : "pod overlay " + template;
    }
}
