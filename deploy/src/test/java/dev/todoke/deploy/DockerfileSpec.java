package dev.todoke.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What a Dockerfile says about the image's run time: files copied in, environment, user, working
 * directory, volumes and the command line ({@code ENTRYPOINT} plus {@code CMD}).
 *
 * <p>Understands the forms {@code container/Dockerfile} uses: line continuations, {@code ENV k=v ...},
 * exec-form (JSON) {@code ENTRYPOINT}, {@code CMD} and {@code VOLUME}, {@code COPY [--flag=..] src dest}.
 * Other instructions ({@code FROM}, {@code RUN}, ...) are build steps and are ignored; a shell-form
 * entrypoint fails. Immutable.
 *
 * @param copies image path to build-context path, in file order
 */
record DockerfileSpec(
        Map<String, String> copies,
        Map<String, String> env,
        String user,
        String workdir,
        List<String> volumes,
        List<String> command) {

    static DockerfileSpec read(Path dockerfile) throws IOException {
        Map<String, String> copies = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        List<String> volumes = new ArrayList<>();
        List<String> entrypoint = List.of();
        List<String> cmd = List.of();
        String user = "root";
        String workdir = "/";
        for (String line : instructions(Files.readAllLines(dockerfile))) {
            String[] split = line.split("\\s+", 2);
            String keyword = split[0].toUpperCase(Locale.ROOT);
            String rest = split.length > 1 ? split[1].strip() : "";
            switch (keyword) {
                case "COPY" -> {
                    List<String> args = words(rest).stream()
                            .filter(w -> !w.startsWith("--"))
                            .toList();
                    copies.put(args.getLast(), args.getFirst());
                }
                case "ENV" -> {
                    for (String pair : words(rest)) {
                        int eq = pair.indexOf('=');
                        env.put(pair.substring(0, eq), unquote(pair.substring(eq + 1)));
                    }
                }
                case "USER" -> user = rest;
                case "WORKDIR" -> workdir = rest;
                case "VOLUME" -> volumes.addAll(jsonArray(rest));
                case "ENTRYPOINT" -> entrypoint = jsonArray(rest);
                case "CMD" -> cmd = jsonArray(rest);
                default -> {
                    // build steps: FROM, ARG, RUN, EXPOSE, LABEL
                }
            }
        }
        List<String> command = new ArrayList<>(entrypoint);
        command.addAll(cmd);
        return new DockerfileSpec(copies, env, user, workdir, List.copyOf(volumes), List.copyOf(command));
    }

    /** The instructions, continuation lines joined, comments and blank lines dropped. */
    private static List<String> instructions(List<String> lines) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.isEmpty())) {
                continue;
            }
            boolean continues = line.endsWith("\\");
            current.append(continues ? line.substring(0, line.length() - 1) : line)
                    .append(' ');
            if (!continues) {
                instructions.add(current.toString().strip());
                current.setLength(0);
            }
        }
        return instructions;
    }

    /** Whitespace-separated words; double quotes keep spaces inside one word. */
    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        for (char c : text.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                word.append(c);
            } else if (Character.isWhitespace(c) && !quoted) {
                if (!word.isEmpty()) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        return words;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1)
                : value;
    }

    private static List<String> jsonArray(String text) {
        if (!text.startsWith("[")) {
            throw new IllegalArgumentException("only the exec (JSON) form is understood: " + text);
        }
        Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        return new Node(parsed).list().stream().map(Node::string).toList();
    }
}
