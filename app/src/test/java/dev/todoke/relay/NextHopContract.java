package dev.todoke.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link NextHop} keeps, whether it speaks SMTP or writes the dev outbox: the bytes
 * arrive exactly as given (dot-stuffing is invisible), the envelope is kept, every recipient is in the
 * one transaction, and a message the next hop does not take is a {@link RelayException} with nothing
 * delivered; a {@link NextHop#session} sends each message as its own transaction, survives a failed send
 * and a connection the far side dropped. Implement {@link #nextHop()}, {@link #delivered()} and {@link
 * #refuseEverything()}, and {@link #dropConnections()} where there are connections.
 */
public interface NextHopContract {

    /** What reached the far side of the next hop. */
    record Delivered(String sender, List<String> recipients, byte[] bytes) {

        /** Sender, recipients and the exact bytes (as ISO-8859-1 text), for comparing by value. */
        String summary() {
            return sender + " -> " + recipients + "\n" + new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /** The next hop under test; the same instance within one test. */
    NextHop nextHop();

    /** Every message the far side holds, oldest first. */
    List<Delivered> delivered() throws Exception;

    /** From now on, the far side takes nothing (a full disk, a server answering 4xx). */
    void refuseEverything() throws Exception;

    /** The far side closes every open connection (a restart, an idle timeout); nothing where none exist. */
    default void dropConnections() throws Exception {}

    byte[] MESSAGE = ("From: Sender <sender@example.com>\r\n"
                    + "To: one@example.org\r\n"
                    + "Subject: =?UTF-8?B?5pu46aGe?=\r\n"
                    + "MIME-Version: 1.0\r\n"
                    + "Content-Type: text/plain; charset=UTF-8\r\n"
                    + "Content-Transfer-Encoding: 8bit\r\n"
                    + "\r\n"
                    + ".leading dot\r\n"
                    + "..two dots\r\n"
                    + ".\r\n"
                    + "Grüße 書類をお送りします\r\n"
                    + "trailing spaces   \r\n")
            .getBytes(StandardCharsets.UTF_8);

    @Test
    default void sendWhenMessageGivenThenTheSameBytesArriveWithTheEnvelope() throws Exception {
        nextHop().send("sender@example.com", List.of("one@example.org"), MessageContent.of(MESSAGE));

        assertThat(delivered()).singleElement().satisfies(d -> {
            assertThat(d.bytes()).isEqualTo(MESSAGE);
            assertThat(d.sender()).isEqualTo("sender@example.com");
            assertThat(d.recipients()).containsExactly("one@example.org");
        });
    }

    @Test
    default void sendWhenLinesStartWithDotsThenTheyArriveAsWritten() throws Exception {
        byte[] dotted = ("Subject: dots\r\n\r\n" + ".\r\n" + "..\r\n" + ".leading dot\r\n" + "...three\r\n"
                        + "middle . dot\r\n" + ".\r\n")
                .getBytes(StandardCharsets.US_ASCII);

        nextHop().send("sender@example.com", List.of("one@example.org"), MessageContent.of(dotted));

        assertThat(delivered())
                .singleElement()
                .satisfies(d -> assertThat(d.bytes()).isEqualTo(dotted));
    }

    @Test
    default void sendWhenSeveralRecipientsThenOneMessageForAllOfThem() throws Exception {
        List<String> recipients = List.of("one@example.org", "bcc-only@example.net", "third@example.com");

        nextHop().send("sender@example.com", recipients, MessageContent.of(MESSAGE));

        assertThat(delivered()).singleElement().satisfies(d -> {
            assertThat(d.recipients()).containsExactlyElementsOf(recipients);
            assertThat(d.bytes()).isEqualTo(MESSAGE);
        });
    }

    @Test
    default void sendWhenNullReversePathThenSenderIsEmpty() throws Exception {
        nextHop().send("", List.of("one@example.org"), MessageContent.of(MESSAGE));

        assertThat(delivered())
                .singleElement()
                .satisfies(d -> assertThat(d.sender()).isEmpty());
    }

    @Test
    default void sendWhenMessageIsLargerThanAnyBufferThenItArrivesIntact() throws Exception {
        ByteArrayOutputStream big = new ByteArrayOutputStream();
        big.writeBytes("Subject: big\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; big.size() < 3_000_000; i++) {
            big.writeBytes(((i % 7 == 0 ? "." : "") + "line " + i + " ありがとう\r\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = big.toByteArray();

        nextHop().send("sender@example.com", List.of("one@example.org"), MessageContent.of(bytes));

        assertThat(delivered())
                .singleElement()
                .satisfies(d -> assertThat(d.bytes()).isEqualTo(bytes));
    }

    @Test
    default void sendWhenCalledTwiceThenTwoMessagesInOrder() throws Exception {
        byte[] second = "Subject: second\r\n\r\nagain\r\n".getBytes(StandardCharsets.US_ASCII);

        nextHop().send("sender@example.com", List.of("one@example.org"), MessageContent.of(MESSAGE));
        nextHop().send("other@example.com", List.of("two@example.org"), MessageContent.of(second));

        assertThat(delivered())
                .extracting(Delivered::sender)
                .containsExactlyInAnyOrder("sender@example.com", "other@example.com");
        assertThat(delivered())
                .filteredOn(d -> d.sender().equals("other@example.com"))
                .singleElement()
                .satisfies(d -> assertThat(d.bytes()).isEqualTo(second));
    }

    @Test
    default void sendWhenFarSideRefusesThenTemporaryRelayExceptionAndNothingDelivered() throws Exception {
        refuseEverything();

        assertThatThrownBy(() ->
                        nextHop().send("sender@example.com", List.of("one@example.org"), MessageContent.of(MESSAGE)))
                .isInstanceOfSatisfying(
                        RelayException.class, e -> assertThat(e.isPermanent()).isFalse());
        assertThat(delivered()).isEmpty();
    }

    @Test
    default void sendWhenContentFailsWhileReadThenTemporaryRelayExceptionAndNothingDelivered() throws Exception {
        MessageContent failing = () -> new FilterInputStream(InputStream.nullInputStream()) {
            private int calls;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (++calls > 3) {
                    throw new IOException("spool file went away");
                }
                byte[] line = "X-Filler: 0123456789\r\n".getBytes(StandardCharsets.US_ASCII);
                int n = Math.min(len, line.length);
                System.arraycopy(line, 0, b, off, n);
                return n;
            }
        };

        assertThatThrownBy(() -> nextHop().send("sender@example.com", List.of("one@example.org"), failing))
                .isInstanceOfSatisfying(
                        RelayException.class, e -> assertThat(e.isPermanent()).isFalse());
        assertThat(delivered()).isEmpty();
    }

    @Test
    default void sendWhenNoRecipientsThenIllegalArgumentAndNothingDelivered() throws Exception {
        assertThatThrownBy(() -> nextHop().send("sender@example.com", List.of(), MessageContent.of(MESSAGE)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(delivered()).isEmpty();
    }

    @Test
    default void describeWhenCalledThenSaysWhereMailGoes() {
        assertThat(nextHop().describe()).isNotBlank();
    }

    byte[] SECOND = "Subject: second\r\n\r\n.again\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    default void sessionWhenSeveralSendsThenEachArrivesAsItsOwnTransactionWithExactBytes() throws Exception {
        byte[] third = "Subject: third\r\n\r\nthree\r\n".getBytes(StandardCharsets.US_ASCII);

        try (NextHop.Session session = nextHop().session()) {
            session.send(
                    "sender@example.com", List.of("one@example.org", "two@example.org"), MessageContent.of(MESSAGE));
            session.send("sender@example.com", List.of("three@example.net"), MessageContent.of(SECOND));
            session.send("", List.of("sender@example.com"), MessageContent.of(third));
        }

        assertThat(delivered())
                .extracting(Delivered::summary)
                .containsExactlyInAnyOrder(
                        new Delivered("sender@example.com", List.of("one@example.org", "two@example.org"), MESSAGE)
                                .summary(),
                        new Delivered("sender@example.com", List.of("three@example.net"), SECOND).summary(),
                        new Delivered("", List.of("sender@example.com"), third).summary());
    }

    @Test
    default void sessionWhenASendFailsInTheMiddleThenRelayExceptionAndLaterSendsWork() throws Exception {
        MessageContent failing = () -> new FilterInputStream(new java.io.ByteArrayInputStream(MESSAGE)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                throw new IOException("spool file went away");
            }
        };

        try (NextHop.Session session = nextHop().session()) {
            session.send("sender@example.com", List.of("one@example.org"), MessageContent.of(MESSAGE));
            assertThatThrownBy(() -> session.send("sender@example.com", List.of("two@example.org"), failing))
                    .isInstanceOfSatisfying(
                            RelayException.class,
                            e -> assertThat(e.isPermanent()).isFalse());
            session.send("sender@example.com", List.of("three@example.org"), MessageContent.of(SECOND));
        }
        try (NextHop.Session fresh = nextHop().session()) {
            fresh.send("sender@example.com", List.of("four@example.org"), MessageContent.of(SECOND));
        }

        assertThat(delivered())
                .extracting(Delivered::summary)
                .containsExactlyInAnyOrder(
                        new Delivered("sender@example.com", List.of("one@example.org"), MESSAGE).summary(),
                        new Delivered("sender@example.com", List.of("three@example.org"), SECOND).summary(),
                        new Delivered("sender@example.com", List.of("four@example.org"), SECOND).summary());
    }

    @Test
    default void sessionWhenFarSideDropsTheConnectionBetweenSendsThenTheNextSendReconnects() throws Exception {
        try (NextHop.Session session = nextHop().session()) {
            session.send("sender@example.com", List.of("one@example.org"), MessageContent.of(MESSAGE));
            dropConnections();
            session.send("sender@example.com", List.of("two@example.org"), MessageContent.of(SECOND));
        }

        assertThat(delivered())
                .extracting(Delivered::summary)
                .containsExactlyInAnyOrder(
                        new Delivered("sender@example.com", List.of("one@example.org"), MESSAGE).summary(),
                        new Delivered("sender@example.com", List.of("two@example.org"), SECOND).summary());
    }

    @Test
    default void sessionWhenFarSideRefusesThenTemporaryRelayExceptionAndNothingDelivered() throws Exception {
        try (NextHop.Session session = nextHop().session()) {
            refuseEverything();
            assertThatThrownBy(() ->
                            session.send("sender@example.com", List.of("one@example.org"), MessageContent.of(MESSAGE)))
                    .isInstanceOfSatisfying(
                            RelayException.class,
                            e -> assertThat(e.isPermanent()).isFalse());
        }
        assertThat(delivered()).isEmpty();
    }
}
