package dev.todoke.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TempFilesTest {

    @TempDir
    Path dir;

    /**
     * The file is opened without O_TRUNC (which on ext4 would send the whole spool to the disk when it is
     * closed): what was there past the new bytes stays, which a truncating open would have removed.
     */
    @Test
    void openForWritingWhenTheFileHoldsBytesThenWritesFromTheStartWithoutTruncating() throws IOException {
        Path file = Files.writeString(dir.resolve("spool.eml"), "xyz");

        try (OutputStream out = TempFiles.openForWriting(file)) {
            out.write("ab".getBytes(StandardCharsets.US_ASCII));
        }

        assertThat(Files.readString(file)).isEqualTo("abz");
    }

    @Test
    void openForWritingWhenTheFileDoesNotExistThenFailsRatherThanCreatingIt() {
        assertThatThrownBy(() -> TempFiles.openForWriting(dir.resolve("missing.eml")))
                .isInstanceOf(NoSuchFileException.class);
    }
}
