package dev.todoke.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SmtpReplyTest {

    private static InputStream wire(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readWhenSingleLineThenCodeAndText() throws IOException {
        SmtpReply reply = SmtpReply.read(wire("220 mx.example.org ESMTP ready\r\n"));

        assertThat(reply.code()).isEqualTo(220);
        assertThat(reply.lines()).containsExactly("mx.example.org ESMTP ready");
        assertThat(reply.firstLine()).isEqualTo("220 mx.example.org ESMTP ready");
        assertThat(reply.isPositive()).isTrue();
    }

    @Test
    void readWhenMultiLineThenEveryLineUpToTheOneWithoutDash() throws IOException {
        SmtpReply reply =
                SmtpReply.read(wire("250-mx.example.org hello\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 8BITMIME\r\n"));

        assertThat(reply.code()).isEqualTo(250);
        assertThat(reply.lines()).containsExactly("mx.example.org hello", "PIPELINING", "STARTTLS", "8BITMIME");
        assertThat(reply.toString()).isEqualTo("250 mx.example.org hello / PIPELINING / STARTTLS / 8BITMIME");
    }

    @Test
    void readWhenTwoRepliesFollowThenReadsOnlyTheFirstAndLeavesTheRest() throws IOException {
        InputStream in = wire("250-one\r\n250 two\r\n220 go ahead\r\nTLS bytes");

        assertThat(SmtpReply.read(in).lines()).containsExactly("one", "two");
        assertThat(SmtpReply.read(in).code()).isEqualTo(220);
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("TLS bytes");
    }

    @Test
    void readWhenBareLfAndCodeOnlyLinesThenAccepted() throws IOException {
        SmtpReply reply = SmtpReply.read(wire("250-\n250\n"));

        assertThat(reply.code()).isEqualTo(250);
        assertThat(reply.lines()).containsExactly("", "");
    }

    @Test
    void readWhenFailureCodesThenClassified() throws IOException {
        SmtpReply temporary = SmtpReply.read(wire("451-4.3.0 try\r\n451 4.3.0 later\r\n"));
        SmtpReply permanent = SmtpReply.read(wire("550 5.1.1 no such user\r\n"));

        assertThat(temporary.isPositive()).isFalse();
        assertThat(temporary.isPermanentFailure()).isFalse();
        assertThat(permanent.isPermanentFailure()).isTrue();
        assertThat(SmtpReply.read(wire("354 go on\r\n")).isPositive()).isTrue();
    }

    @Test
    void firstLineWhenControlOrNonAsciiCharactersThenReplacedForReports() throws IOException {
        SmtpReply reply = SmtpReply.read(wire("554 bad\u0007 ｔｅｘｔ\r\n"));

        assertThat(reply.firstLine()).isEqualTo("554 bad? ????");
    }

    @Test
    void readWhenNotAReplyThenIOException() {
        assertThatThrownBy(() -> SmtpReply.read(wire("HTTP/1.1 400 Bad Request\r\n")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not an SMTP reply");
        assertThatThrownBy(() -> SmtpReply.read(wire("2x0 nope\r\n"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> SmtpReply.read(wire("25\r\n"))).isInstanceOf(IOException.class);
    }

    @Test
    void readWhenStreamEndsInsideAMultiLineReplyThenEofException() {
        assertThatThrownBy(() -> SmtpReply.read(wire("250-one\r\n250-two\r\n"))).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> SmtpReply.read(wire("250 no line end"))).isInstanceOf(EOFException.class);
    }

    @Test
    void readWhenLineOrReplyTooLongThenIOExceptionInsteadOfEndlessBuffering() {
        String longLine = "250 " + "x".repeat(SmtpReply.MAX_LINE_BYTES) + "\r\n";
        String manyLines = "250-x\r\n".repeat(SmtpReply.MAX_LINES + 1) + "250 end\r\n";

        assertThatThrownBy(() -> SmtpReply.read(wire(longLine)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("longer than");
        assertThatThrownBy(() -> SmtpReply.read(wire(manyLines)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("more than");
    }
}
