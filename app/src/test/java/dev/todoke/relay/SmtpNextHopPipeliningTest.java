package dev.todoke.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.relay.RelayProperties.StartTls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * PIPELINING (RFC 2920) against a next hop that offers it and answers nothing before it has read the
 * whole envelope and DATA: a client that waited for each reply would time out here.
 */
class SmtpNextHopPipeliningTest {

    /** One connection: greets, offers PIPELINING, and replies to the envelope only once DATA arrived. */
    private static final class PipeliningServer implements AutoCloseable {

        final List<String> envelope = new CopyOnWriteArrayList<>();
        final List<String> messages = new CopyOnWriteArrayList<>();
        volatile boolean droppedDuringData;
        private final ServerSocket socket;
        private final Thread thread;

        /** @param rcptCode the reply code for the n-th RCPT (0-based) */
        PipeliningServer(IntUnaryOperator rcptCode) throws IOException {
            socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            thread = Thread.ofPlatform().daemon().start(() -> serve(rcptCode));
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve(IntUnaryOperator rcptCode) {
            try (Socket client = socket.accept();
                    BufferedReader in =
                            new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                    OutputStream out = client.getOutputStream()) {
                reply(out, "220 pipe.test ready");
                in.readLine(); // EHLO
                reply(out, "250-pipe.test\r\n250-PIPELINING\r\n250 8BITMIME");
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("QUIT")) {
                        reply(out, "221 bye");
                        return;
                    }
                    if (line.startsWith("RSET")) {
                        reply(out, "250 ok");
                        continue;
                    }
                    envelope.add(line);
                    if (!line.equals("DATA")) {
                        continue; // nothing before DATA: the client must not wait for these replies
                    }
                    List<String> commands = envelope.subList(envelope.size() - countSinceMail(), envelope.size());
                    StringBuilder replies = new StringBuilder("250 sender ok");
                    boolean anyAccepted = false;
                    int rcpt = 0;
                    for (String command : commands) {
                        if (command.startsWith("RCPT")) {
                            int code = rcptCode.applyAsInt(rcpt++);
                            anyAccepted |= code == 250;
                            replies.append("\r\n").append(code).append(code == 250 ? " ok" : " no such user");
                        }
                    }
                    replies.append("\r\n").append(anyAccepted ? "354 go ahead" : "554 no valid recipients");
                    reply(out, replies.toString());
                    if (!anyAccepted) {
                        continue;
                    }
                    StringBuilder body = new StringBuilder();
                    while (true) {
                        String data = in.readLine();
                        if (data == null) {
                            droppedDuringData = true;
                            return;
                        }
                        if (data.equals(".")) {
                            break;
                        }
                        body.append(data.startsWith(".") ? data.substring(1) : data)
                                .append("\n");
                    }
                    messages.add(body.toString());
                    reply(out, "250 queued");
                }
            } catch (IOException e) {
                droppedDuringData = true;
            }
        }

        private int countSinceMail() {
            for (int i = envelope.size() - 1; i >= 0; i--) {
                if (envelope.get(i).startsWith("MAIL")) {
                    return envelope.size() - i;
                }
            }
            return envelope.size();
        }

        private static void reply(OutputStream out, String text) throws IOException {
            out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            thread.join(5000);
        }
    }

    @Test
    void sendWhenNextHopOffersPipeliningThenEnvelopeAndDataInOneWriteAndDelivered() throws Exception {
        try (PipeliningServer server = new PipeliningServer(n -> 250)) {
            NextHop nextHop = new SmtpNextHop(SmtpNextHopTest.properties(server.port(), StartTls.OFF));

            nextHop.send(
                    "sender@example.com",
                    List.of("one@example.org", "two@example.org"),
                    MessageContent.of(NextHopContract.MESSAGE));

            assertThat(server.envelope)
                    .containsExactly(
                            "MAIL FROM:<sender@example.com> BODY=8BITMIME",
                            "RCPT TO:<one@example.org>",
                            "RCPT TO:<two@example.org>",
                            "DATA");
            assertThat(server.messages).hasSize(1);
            assertThat(server.messages.getFirst())
                    .isEqualTo(new String(NextHopContract.MESSAGE, StandardCharsets.UTF_8).replace("\r\n", "\n"));
        }
    }

    @Test
    void sendWhenPipelinedRecipientRefusedAfterOthersAcceptedThenPermanentFailureAndNothingDelivered()
            throws Exception {
        try (PipeliningServer server = new PipeliningServer(n -> n == 1 ? 550 : 250)) {
            NextHop nextHop = new SmtpNextHop(SmtpNextHopTest.properties(server.port(), StartTls.OFF));

            assertThatThrownBy(() -> nextHop.send(
                            "sender@example.com",
                            List.of("one@example.org", "nobody@example.org"),
                            MessageContent.of(NextHopContract.MESSAGE)))
                    .isInstanceOfSatisfying(RelayException.class, e -> {
                        assertThat(e.isPermanent()).isTrue();
                        assertThat(e).hasMessageContaining("nobody@example.org").hasMessageContaining("550");
                    });
            server.close();
            assertThat(server.messages)
                    .as("DATA got 354, but the message was never ended")
                    .isEmpty();
            assertThat(server.droppedDuringData).isTrue();
        }
    }
}
