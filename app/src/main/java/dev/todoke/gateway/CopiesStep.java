package dev.todoke.gateway;

import dev.todoke.TodokeProperties;
import dev.todoke.gateway.MailTransaction.Recorded;
import dev.todoke.gateway.NoticeTexts.FileLine;
import dev.todoke.gateway.NoticeTexts.Notice;
import dev.todoke.gateway.RecipientPolicy.Decision;
import dev.todoke.mail.MailSeal;
import dev.todoke.mail.SystemMail;
import dev.todoke.mime.MessageRewriter;
import dev.todoke.mime.OnlyRecipient;
import dev.todoke.mime.ParsedMessage;
import dev.todoke.mime.RewriteSpec;
import dev.todoke.mime.Security;
import dev.todoke.relay.MessageContent;
import dev.todoke.storage.OwnerOnly;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes one copy per link recipient into the spool ({@code {data-dir}/spool/copies}): every attachment
 * replaced by the notice with that recipient's link, header {@code X-Todoke-Kind: notice}, incoming
 * {@code X-Todoke-*} headers dropped, sealed. Each file is recorded in the transaction before it is
 * written, so that it is deleted whatever happens.
 *
 * <p>Forced BCC ({@link MailTransaction#isForcedBcc()}): each link copy's header shows only its recipient
 * ({@link OnlyRecipient}: To that recipient, Cc only internal addresses, no Bcc), and every other external
 * recipient (one a policy lets have the original, or every external one when the mail passes unchanged:
 * no attachments, encrypted) gets a copy of the original in which only those header fields change (not
 * sealed, no notice). Internal recipients keep the original. This step therefore also runs for unchanged
 * mail, and does nothing there without forced BCC. Thread-safe.
 */
final class CopiesStep implements MailStep {

    private final MessageRewriter rewriter;
    private final MailSeal seal;
    private final NoticeTexts texts;
    private final TodokeProperties todoke;
    private final Path copies;

    CopiesStep(MessageRewriter rewriter, MailSeal seal, NoticeTexts texts, TodokeProperties todoke) {
        this.rewriter = rewriter;
        this.seal = seal;
        this.texts = texts;
        this.todoke = todoke;
        this.copies = todoke.dataDir().resolve("spool").resolve("copies");
    }

    /** @throws IOException when a copy cannot be written */
    @Override
    public Next apply(MailTransaction mail) throws IOException {
        if (mail.isUnchanged() && !mail.isForcedBcc()) {
            return Next.CONTINUE;
        }
        mail.startWriting();
        if (!mail.isUnchanged()) {
            writeLinkCopies(mail);
        }
        if (mail.isForcedBcc()) {
            for (String recipient : mail.envelope().recipients()) {
                if (!todoke.isInternal(recipient) && !mail.copies().containsKey(recipient)) {
                    mail.addCopy(recipient, writeHeaderOnlyCopy(mail, recipient));
                }
            }
        }
        return Next.CONTINUE;
    }

    @Override
    public boolean appliesToUnchangedMail() {
        return true;
    }

    private void writeLinkCopies(MailTransaction mail) throws IOException {
        Recorded recorded = mail.recorded();
        List<FileLine> files = recorded.fileLines();
        String sender = senderForPeople(mail);
        for (String recipient : mail.recipientsWith(Decision.LINK)) {
            if (mail.ledger().accepted(CopyLedger.copy(recipient))) {
                continue; // a retry: the next hop accepted this copy before
            }
            Notice notice = new Notice(
                    sender,
                    recipient,
                    files,
                    recorded.expiresAt(),
                    todoke.link("/d/" + recorded.linkTokens().get(recipient)),
                    mail.parsed().security() == Security.SIGNED,
                    mail.decision(recipient).rule());
            mail.addCopy(recipient, writeCopy(mail, notice));
        }
    }

    private MessageContent writeCopy(MailTransaction mail, Notice notice) throws IOException {
        Path file = newCopyFile(mail);
        RewriteSpec spec = new RewriteSpec(
                texts.noticeText(notice),
                texts.noticeHtml(notice),
                List.of(SystemMail.KIND_HEADER + ": notice"),
                MailSeal::isTodokeHeader,
                onlyRecipient(mail, notice.recipient()));
        try (OutputStream out = Files.newOutputStream(file)) {
            rewriter.write(mail.parsed(), spec, out);
        }
        return seal.seal("notice", MessageContent.of(file));
    }

    /** The original (raw spool, not the parser's view) with only To, Cc and Bcc changed. */
    private MessageContent writeHeaderOnlyCopy(MailTransaction mail, String recipient) throws IOException {
        Path file = newCopyFile(mail);
        RewriteSpec spec = new RewriteSpec(null, null, List.of(), null, onlyRecipient(mail, recipient));
        try (OutputStream out = Files.newOutputStream(file)) {
            rewriter.writeHeaderOnly(mail.spool(), spec, out);
        }
        return MessageContent.of(file);
    }

    private Path newCopyFile(MailTransaction mail) throws IOException {
        OwnerOnly.createDirectories(copies);
        Path file = Files.createTempFile(copies, "copy-", ".eml");
        mail.addSpooledCopy(file);
        return file;
    }

    private OnlyRecipient onlyRecipient(MailTransaction mail, String recipient) {
        return mail.isForcedBcc() ? new OnlyRecipient(recipient, todoke::isInternal) : null;
    }

    /** The sender as people know them: the From header, else the envelope sender. */
    private static String senderForPeople(MailTransaction mail) {
        ParsedMessage parsed = mail.parsed();
        String from = parsed.from();
        if (from != null && !from.isBlank()) {
            return from;
        }
        String sender = mail.envelope().sender();
        return sender.isEmpty() ? "(unknown)" : sender;
    }
}
