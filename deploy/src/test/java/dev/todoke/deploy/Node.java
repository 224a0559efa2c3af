package dev.todoke.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only view of one value in a parsed YAML document (a map, a list or a scalar), for navigating
 * rendered Kubernetes manifests by key without casts in the tests.
 *
 * <p>Navigation never fails: a missing key or index gives {@link #MISSING}, whose {@link #present()} is
 * false. Immutable if the underlying value is not changed; safe to share between threads then.
 */
record Node(Object value) {

    static final Node MISSING = new Node(null);

    /** The value under a dotted path of map keys, e.g. {@code "spec.template.spec"}. */
    Node at(String dottedPath) {
        Node node = this;
        for (String key : dottedPath.split("\\.")) {
            node = node.get(key);
        }
        return node;
    }

    /** The value under one map key (which may itself contain dots). */
    Node get(String key) {
        return value instanceof Map<?, ?> map && map.containsKey(key) ? new Node(map.get(key)) : MISSING;
    }

    boolean present() {
        return value != null;
    }

    /** The elements of a list; empty when this is not a list. */
    List<Node> list() {
        return value instanceof List<?> list ? list.stream().map(Node::new).toList() : List.of();
    }

    /** The entries of a map in document order; empty when this is not a map. */
    List<Map.Entry<String, Node>> entries() {
        List<Map.Entry<String, Node>> entries = new ArrayList<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> entries.add(Map.entry(String.valueOf(k), new Node(v))));
        }
        return entries;
    }

    /** The scalar as text; empty when absent or not a scalar. */
    Optional<String> text() {
        return value == null || value instanceof Map<?, ?> || value instanceof List<?>
                ? Optional.empty()
                : Optional.of(String.valueOf(value));
    }

    /** The scalar as text, or {@code ""}. */
    String string() {
        return text().orElse("");
    }

    /** The first list element whose {@code key} equals {@code expected}, or {@link #MISSING}. */
    Node find(String key, String expected) {
        return list().stream()
                .filter(n -> n.get(key).string().equals(expected))
                .findFirst()
                .orElse(MISSING);
    }
}
