package dev.todoke.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.TodokeProperties;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerSecretTest {

    @TempDir
    Path dataDir;

    @Test
    void macWhenNoSecretConfiguredThenGeneratedOwnerOnlyAndStableAcrossStarts() throws Exception {
        byte[] first = secret("").mac("otp").doFinal(bytes("x"));
        byte[] second = secret("").mac("otp").doFinal(bytes("x"));

        Path file = dataDir.resolve("keys").resolve(ServerSecret.FILE_NAME);
        assertThat(first).isEqualTo(second);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void macWhenPurposesDifferThenKeysDiffer() {
        ServerSecret secret = secret("");

        assertThat(secret.mac("otp").doFinal(bytes("x")))
                .isNotEqualTo(secret.mac("csrf").doFinal(bytes("x")));
    }

    @Test
    void macWhenSecretConfiguredThenItIsUsedAndNoFileWritten() {
        String configured = Base64.getEncoder().encodeToString(new byte[32]);

        byte[] mac = secret(configured).mac("otp").doFinal(bytes("x"));

        assertThat(mac).isEqualTo(secret(configured).mac("otp").doFinal(bytes("x")));
        assertThat(dataDir.resolve("keys")).doesNotExist();
    }

    @Test
    void constructorWhenSecretTooShortOrNotBase64ThenClearError() {
        assertThatThrownBy(() -> secret(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> secret("not base64!")).hasMessageContaining("base64");
    }

    private ServerSecret secret(String configured) {
        return new ServerSecret(
                new WebProperties(configured, 120, ZoneOffset.UTC),
                new TodokeProperties(URI.create("http://127.0.0.1:8080"), dataDir, List.of()),
                new SecureRandom());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
