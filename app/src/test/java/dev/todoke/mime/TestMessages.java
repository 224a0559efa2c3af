package dev.todoke.mime;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Builds small raw messages for tests; lines end in CRLF unless {@link #lf()} is asked for. */
final class TestMessages {

    private final List<String> lines = new ArrayList<>();
    private String eol = "\r\n";

    static TestMessages message() {
        return new TestMessages();
    }

    TestMessages lf() {
        eol = "\n";
        return this;
    }

    TestMessages line(String... text) {
        lines.addAll(List.of(text));
        return this;
    }

    TestMessages headers(String subject) {
        return line(
                "From: Sender <sender@example.co.jp>",
                "To: someone@example.com",
                "Subject: " + subject,
                "Date: Mon, 23 Nov 2026 10:00:00 +0900",
                "Message-ID: <m1@example.co.jp>",
                "MIME-Version: 1.0");
    }

    TestMessages part(String boundary, String... headersThenBlankThenBody) {
        lines.add("--" + boundary);
        lines.addAll(List.of(headersThenBlankThenBody));
        return this;
    }

    TestMessages close(String boundary) {
        lines.add("--" + boundary + "--");
        return this;
    }

    String text() {
        return String.join(eol, lines) + eol;
    }

    byte[] bytes() {
        return text().getBytes(StandardCharsets.UTF_8);
    }

    Path write(Path dir) throws IOException {
        Path file = Files.createTempFile(dir, "msg", ".eml");
        Files.write(file, bytes());
        return file;
    }

    /** S/MIME multipart/signed around a text body and one PDF attachment, with a detached signature. */
    static TestMessages signedWithPdf(String bodyContentType, String bodyText) {
        return message()
                .headers("signed")
                .line(
                        "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=\"s\"",
                        "")
                .part("s", "Content-Type: multipart/mixed; boundary=\"m\"", "")
                .part("m", bodyContentType, "", bodyText)
                .part(
                        "m",
                        "Content-Type: application/pdf; name=\"a.pdf\"",
                        "Content-Transfer-Encoding: base64",
                        "",
                        "JVBERi0=")
                .close("m")
                .part(
                        "s",
                        "Content-Type: application/pkcs7-signature; name=\"smime.p7s\"",
                        "Content-Transfer-Encoding: base64",
                        "",
                        "MIAGCSqGSIb3DQEHAqCAMIACAQE=")
                .close("s");
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static String encodedWord(String text, String charset) {
        return "=?" + charset + "?B?" + b64(text.getBytes(Charset.forName(charset))) + "?=";
    }

    /** Base64 of bytes in MIME lines of 76 characters. */
    static String[] base64Lines(byte[] bytes) {
        return Base64.getMimeEncoder().encodeToString(bytes).split("\r\n");
    }
}
