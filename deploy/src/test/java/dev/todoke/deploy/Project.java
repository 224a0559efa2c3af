package dev.todoke.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository's top-level folders are, seen from this module's tests (run in {@code deploy/}). */
final class Project {

    private Project() {}

    /** The repository root: the parent of the module directory surefire runs in. */
    static Path root() {
        Path root = Path.of("").toAbsolutePath().getParent();
        if (root == null || !Files.isDirectory(root.resolve("helm")) || !Files.isDirectory(root.resolve("container"))) {
            throw new IllegalStateException("run from the deploy/ module: no helm/ and container/ beside it");
        }
        return root;
    }
}
