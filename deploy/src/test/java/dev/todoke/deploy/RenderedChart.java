package dev.todoke.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The chart {@code helm/todoke} rendered by Helm ({@code helm template}, through helm-java's embedded
 * Helm library) and parsed into manifests.
 *
 * <p>Rendering fails with Helm's error when the chart does not render. Instances are immutable.
 */
final class RenderedChart {

    static final Path CHART = Project.root().resolve("helm/todoke");
    static final String RELEASE = "todoke";

    private final String name;
    private final List<Node> manifests;

    private RenderedChart(String name, List<Node> manifests) {
        this.name = name;
        this.manifests = manifests;
    }

    /** Renders with the chart's own values plus {@code valuesFile} (may be null) and {@code --set}s. */
    static RenderedChart render(String name, Path valuesFile, Map<String, String> sets) {
        TemplateCommand template = new Helm(CHART).template().withName(RELEASE).withNamespace("todoke");
        if (valuesFile != null) {
            template.withValuesFile(valuesFile);
        }
        sets.forEach(template::set);
        return new RenderedChart(name, parse(template.call()));
    }

    private static List<Node> parse(String yaml) {
        List<Node> documents = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            if (document != null) {
                documents.add(new Node(document));
            }
        }
        return List.copyOf(documents);
    }

    List<Node> all() {
        return manifests;
    }

    List<Node> ofKind(String kind) {
        return manifests.stream()
                .filter(m -> m.get("kind").string().equals(kind))
                .toList();
    }

    /** The one manifest of that kind; fails when there is none or more than one. */
    Node one(String kind) {
        List<Node> found = ofKind(kind);
        if (found.size() != 1) {
            throw new AssertionError(name + ": expected one " + kind + ", found " + found.size());
        }
        return found.getFirst();
    }

    Node deployment() {
        return one("Deployment");
    }

    Node container() {
        return deployment().at("spec.template.spec.containers").find("name", "todoke");
    }

    @Override
    public String toString() {
        return name;
    }
}
