package dev.todoke.gateway;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh {@link StepFixture} in a temporary directory for every test of a step. */
abstract class StepTestBase {

    @TempDir
    Path dir;

    StepFixture fixture;

    @BeforeEach
    void createFixture() {
        fixture = new StepFixture(dir);
    }
}
