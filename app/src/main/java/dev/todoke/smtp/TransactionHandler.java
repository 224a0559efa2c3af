package dev.todoke.smtp;

import dev.todoke.MailAddresses;
import dev.todoke.common.TempFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.internal.io.DotTerminatedInputStream;
import org.subethamail.smtp.internal.io.DotUnstuffingInputStream;
import org.subethamail.smtp.server.Session;

/**
 * One mail transaction, called by SubEthaSMTP in protocol order: {@link #from}, {@link #recipient}
 * (once per RCPT), {@link #data}, then always {@link #done}. DATA is spooled to a file (bounded memory)
 * and handed to the {@link MailFilter}; its outcome becomes the reply. Not thread-safe: one per
 * transaction, on the session's thread.
 */
final class TransactionHandler implements MessageHandler {

    private static final Logger log = LoggerFactory.getLogger(TransactionHandler.class);
    private static final String NOT_READY = "4.3.0 Gateway not ready, try again later";

    private final MessageContext context;
    private final SmtpProperties properties;
    private final ClientNetworks networks;
    private final ObjectProvider<MailFilter> filters;
    private final Path spoolDirectory;
    private final Drain drain;

    private String sender;
    private final List<String> recipients = new ArrayList<>();
    private Path spool;
    /** The gateway's watch of a large message's spool (ADR 0198), closed when DATA's reply is known. */
    private SpoolWatch watch = SpoolWatch.NONE;

    private String messageKey = "";
    /** True when DATA was read by {@link DataReader}, which leaves the final {@code .CRLF} unread. */
    private boolean terminatorLeft;
    /** Counted in {@link Drain} from processing until {@link #done}, which comes after the reply. */
    private boolean inProcess;

    TransactionHandler(
            MessageContext context,
            SmtpProperties properties,
            ClientNetworks networks,
            ObjectProvider<MailFilter> filters,
            Path spoolDirectory,
            Drain drain) {
        this.context = context;
        this.drain = drain;
        this.properties = properties;
        this.networks = networks;
        this.filters = filters;
        this.spoolDirectory = spoolDirectory;
    }

    @Override
    public void from(String from) throws RejectException {
        if (drain.isDraining()) {
            throw new RejectException(421, "4.3.2 Shutting down, try again later");
        }
        if (!(context.getRemoteAddress() instanceof InetSocketAddress remote)
                || !networks.contains(remote.getAddress())) {
            throw new RejectException(550, "5.7.1 Relaying denied: your address is not allowed to send here");
        }
        if (filter() == null) {
            throw new RejectException(451, NOT_READY);
        }
        sender = from == null ? "" : from;
    }

    @Override
    public void recipient(String recipient) throws RejectException {
        if (recipients.size() >= properties.maxRecipients()) {
            throw new RejectException(
                    452, "4.5.3 Too many recipients (at most " + properties.maxRecipients() + " per message)");
        }
        if (properties.routedLocalPart() == SmtpProperties.RoutedLocalPart.REFUSE
                && MailAddresses.hasRoutedLocalPart(recipient)) {
            throw new RejectException(
                    550, "5.1.3 Recipient refused: a local part with @, % or ! may be routed elsewhere: " + recipient);
        }
        recipients.add(recipient);
    }

    @Override
    public String data(InputStream data) throws RejectException, IOException {
        try {
            SpoolOutcome outcome = spool(data);
            switch (outcome) {
                case TOO_BIG ->
                    throw reject(
                            552,
                            "5.3.4 Message size exceeds the limit of "
                                    + properties.maxMessageSize().toBytes() + " bytes");
                case LINE_TOO_LONG ->
                    throw reject(
                            554,
                            "5.6.0 Message has a line longer than " + properties.maxLineLength()
                                    + " octets (RFC 5321 allows 998)");
                case NOT_STORED ->
                    throw reject(451, "4.3.0 Temporary local problem storing the message, try again later");
                case OK -> {
                    return process();
                }
            }
            throw new IllegalStateException(outcome.name());
        } finally {
            closeWatch();
            deleteSpool();
        }
    }

    private void closeWatch() {
        SpoolWatch closing = watch;
        watch = SpoolWatch.NONE;
        try {
            closing.close();
        } catch (RuntimeException e) {
            log.warn("Closing the watch of a spool file failed", e);
        }
    }

    /** The filter's watch of this transaction's spool, or none when there is no filter or it fails. */
    private SpoolWatch newWatch() {
        MailFilter filter = filter();
        if (filter == null) {
            return SpoolWatch.NONE;
        }
        try {
            watch = filter.watch(sender, List.copyOf(recipients), spool);
        } catch (RuntimeException e) {
            log.warn("Could not start watching a large message's spool", e);
            watch = SpoolWatch.NONE;
        }
        return watch;
    }

    private String process() throws RejectException {
        MailFilter filter = filter();
        if (filter == null) {
            throw reject(451, NOT_READY);
        }
        String client = context.getRemoteAddress() instanceof InetSocketAddress remote
                ? remote.getAddress().getHostAddress()
                : String.valueOf(context.getRemoteAddress());
        Envelope envelope = new Envelope(
                sender,
                recipients,
                client,
                context.getHelo().orElse(""),
                Envelope.fingerprintOf(sender, recipients, messageKey),
                messageKey);
        drain.enter();
        inProcess = true;
        try {
            filter.process(envelope, spool);
            return "2.0.0 Ok: message accepted";
        } catch (SmtpRejection rejection) {
            log.info(
                    "Refused mail from <{}> to {} recipients: {}",
                    sender,
                    recipients.size(),
                    rejection.replyLine(),
                    rejection.getCause());
            throw reject(rejection.code(), rejection.enhancedStatus() + " " + oneLine(rejection.getMessage()));
        } catch (Exception | StackOverflowError e) {
            log.error("Processing mail from <{}> to {} recipients failed", sender, recipients.size(), e);
            throw reject(451, "4.3.0 Temporary failure while processing the message, try again later");
        }
    }

    /** The gateway, or null while there is none (or, misconfigured, more than one without a primary). */
    private MailFilter filter() {
        try {
            return filters.getIfAvailable();
        } catch (BeansException e) {
            log.error("No usable MailFilter bean", e);
            return null;
        }
    }

    private enum SpoolOutcome {
        OK,
        TOO_BIG,
        LINE_TOO_LONG,
        NOT_STORED
    }

    /**
     * Copies DATA to a new spool file, always reading it to its end (so the session stays in step), but
     * writing only while within the limits and while the disk takes it. A client that goes on sending
     * far past the size limit is disconnected. An IOException from here is the client's connection.
     */
    private SpoolOutcome spool(InputStream data) throws IOException, RejectException {
        SpoolSink sink = new SpoolSink(properties.maxMessageSize().toBytes(), properties.maxLineLength());
        sink.digest = Envelope.startMessageKey(sender);
        sink.watches = this::newWatch;
        messageKey = "";
        boolean received = false;
        try {
            try {
                spool = Files.createTempFile(spoolDirectory, "smtp-", ".eml");
                sink.out = new BufferedOutputStream(TempFiles.openForWriting(spool), 64 * 1024);
            } catch (IOException e) {
                sink.storeFailure = e;
            }
            if (context instanceof Session session
                    && data instanceof DotUnstuffingInputStream unstuffing
                    && unstuffing.getBaseStream() instanceof DotTerminatedInputStream
                    && session.getRawInput().markSupported()) {
                DataReader.transfer(session.getRawInput(), sink);
                terminatorLeft = true;
            } else {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = data.read(buffer)) > 0) {
                    sink.write(buffer, 0, n);
                }
            }
            received = true;
        } catch (SpoolSink.TooMuch e) {
            throw new DropConnectionException(
                    552, "5.3.4 Message size exceeds the limit of " + sink.maxSize + " bytes; closing");
        } finally {
            sink.close();
            watch.ended(received && sink.total <= sink.maxSize && !sink.tooLong && sink.storeFailure == null);
        }
        if (sink.total > sink.maxSize) {
            return SpoolOutcome.TOO_BIG;
        }
        if (sink.tooLong) {
            return SpoolOutcome.LINE_TOO_LONG;
        }
        if (sink.storeFailure != null) {
            log.error("Could not spool a message to {}", spoolDirectory, sink.storeFailure);
            return SpoolOutcome.NOT_STORED;
        }
        messageKey = HexFormat.of().formatHex(sink.digest.digest());
        return SpoolOutcome.OK;
    }

    /**
     * A failure reply for DATA. SubEthaSMTP does not end the transaction itself when DATA is refused,
     * so it is reset here: the client may start the next one with MAIL at once.
     */
    private RejectException reject(int code, String text) {
        if (terminatorLeft && context instanceof Session session) {
            // SubEthaSMTP reads the rest of DATA only after success: consume the ".CRLF" here.
            terminatorLeft = false;
            try {
                session.getRawInput().skipNBytes(3);
            } catch (IOException e) {
                log.debug("connection lost while ending DATA", e);
            }
        }
        if (context instanceof Session session) {
            session.resetMailTransaction();
        }
        return new RejectException(code, text);
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("[\\r\\n]+", " ");
    }

    @Override
    public void done() {
        deleteSpool();
        if (inProcess) {
            inProcess = false;
            drain.leave();
        }
    }

    private void deleteSpool() {
        if (spool != null) {
            try {
                Files.deleteIfExists(spool);
            } catch (IOException e) {
                log.warn("Could not delete spool file {}", spool, e);
            }
        }
    }
}
