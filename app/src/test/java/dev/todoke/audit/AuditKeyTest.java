package dev.todoke.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.TodokeProperties;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditKeyTest {

    @TempDir
    Path dataDir;

    @Test
    void macWhenNoKeyConfiguredThenGeneratedOwnerOnlyAndStableAcrossStarts() throws Exception {
        byte[] first = key("").mac().doFinal(bytes("row"));
        byte[] second = key("").mac().doFinal(bytes("row"));

        Path file = dataDir.resolve("keys").resolve(AuditKey.FILE_NAME);
        assertThat(first).isEqualTo(second);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(Files.readString(file).trim())).hasSize(32);
    }

    @Test
    void macWhenKeyConfiguredThenItIsUsedAndNoFileWritten() {
        String configured = Base64.getEncoder().encodeToString(new byte[32]);

        byte[] mac = key(configured).mac().doFinal(bytes("row"));

        assertThat(mac).isEqualTo(AuditKey.of(configured).mac().doFinal(bytes("row")));
        assertThat(mac)
                .isNotEqualTo(AuditKey.of(Base64.getEncoder()
                                .encodeToString("another key, 32 bytes long.....!".getBytes(StandardCharsets.US_ASCII)))
                        .mac()
                        .doFinal(bytes("row")));
        assertThat(dataDir.resolve("keys")).doesNotExist();
    }

    @Test
    void constructorWhenKeyTooShortOrNotBase64ThenClearErrorWithoutTheValue() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> key(shortKey))
                .hasMessageContaining("todoke.audit.key must hold at least 32 bytes")
                .hasMessageNotContaining(shortKey);
        assertThatThrownBy(() -> key("not base64!")).hasMessageContaining("todoke.audit.key must be base64");
    }

    @Test
    void toStringWhenKeySetThenNeverTheValue() {
        String configured = Base64.getEncoder().encodeToString(new byte[32]);

        assertThat(AuditKey.of(configured).toString()).doesNotContain(configured);
        assertThat(new AuditProperties(configured).toString()).doesNotContain(configured);
    }

    private AuditKey key(String configured) {
        return new AuditKey(
                new AuditProperties(configured),
                new TodokeProperties(URI.create("http://127.0.0.1:8080"), dataDir, List.of()),
                new SecureRandom());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
