package dev.todoke.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What survives a process that halts right after writing ({@link Runtime#halt}: no shutdown hook, H2 not
 * closed, as after kill -9), on an H2 file database whose background thread would write only after a
 * minute: a write is in the file once its connection is closed, or once a deferred scope is closed or a
 * barrier passed; inside a deferred scope without either it is not (the control that shows the halt
 * loses what was not written).
 */
class DurabilityHaltTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"closed, 1", "deferred-closed, 1", "deferred-barrier, 1", "deferred-open, 0"})
    void haltWhenWrittenThisWayThenTheRowSurvivesOrNot(String mode, int rows) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db/todoke") + ";WRITE_DELAY=60000";
        Process child = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx128m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        HaltingWriter.class.getName(),
                        mode,
                        url))
                .redirectErrorStream(true)
                .start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).as(output).contains("written");

        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                ResultSet result = connection.createStatement().executeQuery("select count(*) from mark")) {
            result.next();
            assertThat(result.getInt(1)).isEqualTo(rows);
        }
    }
}
