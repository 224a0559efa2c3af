package dev.todoke.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
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

    private String sender;
    private final List<String> recipients = new ArrayList<>();
    private Path spool;

    TransactionHandler(
            MessageContext context,
            SmtpProperties properties,
            ClientNetworks networks,
            ObjectProvider<MailFilter> filters,
            Path spoolDirectory) {
        this.context = context;
        this.properties = properties;
        this.networks = networks;
        this.filters = filters;
        this.spoolDirectory = spoolDirectory;
    }

    @Override
    public void from(String from) throws RejectException {
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
            deleteSpool();
        }
    }

    private String process() throws RejectException {
        MailFilter filter = filter();
        if (filter == null) {
            throw reject(451, NOT_READY);
        }
        String client = context.getRemoteAddress() instanceof InetSocketAddress remote
                ? remote.getAddress().getHostAddress()
                : String.valueOf(context.getRemoteAddress());
        Envelope envelope =
                new Envelope(sender, recipients, client, context.getHelo().orElse(""));
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
    private SpoolOutcome spool(InputStream data) throws IOException, DropConnectionException {
        long maxSize = properties.maxMessageSize().toBytes();
        int maxLine = properties.maxLineLength();
        long total = 0;
        int lineLength = 0;
        boolean tooLong = false;
        IOException storeFailure = null;
        OutputStream out = null;
        try {
            try {
                spool = Files.createTempFile(spoolDirectory, "smtp-", ".eml");
                out = Files.newOutputStream(spool);
            } catch (IOException e) {
                storeFailure = e;
            }
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = data.read(buffer)) > 0) {
                total += n;
                if (total > maxSize) {
                    if (total > 2 * maxSize + 1024 * 1024) {
                        throw new DropConnectionException(
                                552, "5.3.4 Message size exceeds the limit of " + maxSize + " bytes; closing");
                    }
                    continue;
                }
                if (tooLong || storeFailure != null) {
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (b == '\n') {
                        lineLength = 0;
                    } else if (b != '\r' && ++lineLength > maxLine) {
                        tooLong = true;
                        break;
                    }
                }
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    storeFailure = e;
                }
            }
        } finally {
            if (out != null) {
                try {
                    out.close();
                } catch (IOException e) {
                    storeFailure = storeFailure == null ? e : storeFailure;
                }
            }
        }
        if (total > maxSize) {
            return SpoolOutcome.TOO_BIG;
        }
        if (tooLong) {
            return SpoolOutcome.LINE_TOO_LONG;
        }
        if (storeFailure != null) {
            log.error("Could not spool a message to {}", spoolDirectory, storeFailure);
            return SpoolOutcome.NOT_STORED;
        }
        return SpoolOutcome.OK;
    }

    /**
     * A failure reply for DATA. SubEthaSMTP does not end the transaction itself when DATA is refused,
     * so it is reset here: the client may start the next one with MAIL at once.
     */
    private RejectException reject(int code, String text) {
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
