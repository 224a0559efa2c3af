package dev.todoke.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Finds secret values where rendered manifests must not have them: in a ConfigMap (its data keys, and
 * every setting of a YAML file in it), and as a literal {@code value} of a container's env var.
 *
 * <p>A setting or variable is secret by its name: the last part of it names a password, secret,
 * token, credential or key ({@code web.secret}, {@code seal-key}, {@code kek[0].key},
 * {@code TODOKE_STORAGE_S3_ACCESS_KEY}), but not a key store path or a key id. Such a setting may be
 * empty or a placeholder {@code ${ENV}}, nothing else. Stateless; thread-safe.
 */
final class SecretScan {

    private static final Pattern SECRET_NAME =
            Pattern.compile("(.*(password|secret|token|credential|sealkey|accesskey|secretkey).*|key)");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{[^}]+}");

    private SecretScan() {}

    /** True when the last part of a dotted property or an env var name names a secret. */
    static boolean secretName(String name) {
        String[] parts = name.toLowerCase(Locale.ROOT).split("[.]");
        String last = parts[parts.length - 1].replaceAll("\\[\\d+]", "");
        String envStyle = name.contains(".") ? last : name.toLowerCase(Locale.ROOT);
        String normalized = envStyle.replaceAll("[-_]", "");
        return SECRET_NAME.matcher(normalized).matches() || envStyle.endsWith("_key");
    }

    /** Every "ConfigMap name: setting" whose value is a secret. */
    static List<String> inConfigMaps(RenderedChart chart) {
        List<String> findings = new ArrayList<>();
        for (Node configMap : chart.ofKind("ConfigMap")) {
            String where = "ConfigMap " + configMap.at("metadata.name").string() + ": ";
            for (Map.Entry<String, Node> entry : configMap.get("data").entries()) {
                String text = entry.getValue().string();
                if (secretName(entry.getKey()) && isValue(text)) {
                    findings.add(where + entry.getKey());
                }
                if (entry.getKey().endsWith(".yaml") || entry.getKey().endsWith(".yml")) {
                    Object settings = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
                    scanSettings(where + entry.getKey() + " ", "", new Node(settings), findings);
                }
            }
        }
        return findings;
    }

    private static void scanSettings(String where, String path, Node node, List<String> findings) {
        for (Map.Entry<String, Node> entry : node.entries()) {
            scanSettings(where, join(path, entry.getKey()), entry.getValue(), findings);
        }
        List<Node> list = node.list();
        for (int i = 0; i < list.size(); i++) {
            scanSettings(where, path + "[" + i + "]", list.get(i), findings);
        }
        if (node.text().isPresent() && secretName(path) && isValue(node.string())) {
            findings.add(where + path);
        }
    }

    /** Every "container: VARIABLE" whose name is secret and whose value is written in the manifest. */
    static List<String> inEnv(RenderedChart chart) {
        List<String> findings = new ArrayList<>();
        for (Node workload : chart.ofKind("Deployment")) {
            for (Node container : workload.at("spec.template.spec.containers").list()) {
                for (Node env : container.get("env").list()) {
                    String name = env.get("name").string();
                    if (secretName(name) && env.get("value").present()) {
                        findings.add(container.get("name").string() + ": " + name);
                    }
                }
            }
        }
        return findings;
    }

    private static boolean isValue(String text) {
        return !text.isBlank() && !PLACEHOLDER.matcher(text.strip()).matches();
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
