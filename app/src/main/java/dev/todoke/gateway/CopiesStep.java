package dev.todoke.gateway;

import dev.todoke.TodokeProperties;
import dev.todoke.common.RowIds;
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
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.io.function.IOConsumer;
import org.apache.commons.io.output.DeferredFileOutputStream;

/**
 * Writes one copy per link recipient (in memory, or in the spool {@code {data-dir}/spool/copies} when
 * large, see {@link #write}): every attachment
 * replaced by the notice with that recipient's link, header {@code X-Todoke-Kind: notice}, incoming
 * {@code X-Todoke-*} headers dropped, sealed.
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

    /** At most this many bytes of one transaction's copies are kept in memory; the rest go to files. */
    static final long IN_MEMORY = 512 * 1024;

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
        OwnerOnly.createDirectories(copies);
        Budget budget = new Budget();
        if (!mail.isUnchanged()) {
            writeLinkCopies(mail, budget);
        }
        if (mail.isForcedBcc()) {
            for (String recipient : mail.envelope().recipients()) {
                if (!todoke.isInternal(recipient) && !mail.copies().containsKey(recipient)) {
                    mail.addCopy(recipient, writeHeaderOnlyCopy(mail, recipient, budget));
                }
            }
        }
        return Next.CONTINUE;
    }

    @Override
    public boolean appliesToUnchangedMail() {
        return true;
    }

    private void writeLinkCopies(MailTransaction mail, Budget budget) throws IOException {
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
            mail.addCopy(recipient, writeCopy(mail, notice, budget));
        }
    }

    private MessageContent writeCopy(MailTransaction mail, Notice notice, Budget budget) throws IOException {
        RewriteSpec spec = new RewriteSpec(
                texts.noticeText(notice),
                texts.noticeHtml(notice),
                List.of(SystemMail.KIND_HEADER + ": notice"),
                MailSeal::isTodokeHeader,
                onlyRecipient(mail, notice.recipient()));
        return seal.seal("notice", write(mail, budget, out -> rewriter.write(mail.parsed(), spec, out)));
    }

    /** The original (raw spool, not the parser's view) with only To, Cc and Bcc changed. */
    private MessageContent writeHeaderOnlyCopy(MailTransaction mail, String recipient, Budget budget)
            throws IOException {
        RewriteSpec spec = new RewriteSpec(null, null, List.of(), null, onlyRecipient(mail, recipient));
        return write(mail, budget, out -> rewriter.writeHeaderOnly(mail.spool(), spec, out));
    }

    /**
     * One copy: in memory while the transaction's copies together stay within {@link #IN_MEMORY}, otherwise
     * in a file of the copies spool, recorded in the transaction once written or failed (so that it is
     * deleted whatever happens). Most copies are a few KB (the attachments are gone); a file created,
     * written, read and deleted for each cost more system calls than writing the copy.
     */
    private MessageContent write(MailTransaction mail, Budget budget, IOConsumer<OutputStream> writer)
            throws IOException {
        DeferredFileOutputStream out = DeferredFileOutputStream.builder()
                .setThreshold((int) Math.max(0, IN_MEMORY - budget.used))
                // a name of its own rather than a prefix: Commons IO would create the file empty and then
                // open it truncating, which on ext4 sends all of it to the disk on close (TempFiles)
                .setOutputFile(copies.resolve("copy-" + RowIds.next() + ".eml"))
                .get();
        try (out) {
            writer.accept(out);
        } finally {
            if (!out.isInMemory()) {
                mail.addSpooledCopy(out.getPath());
            }
        }
        if (out.isInMemory()) {
            byte[] bytes = out.getData();
            budget.used += bytes.length;
            return MessageContent.of(bytes);
        }
        return MessageContent.of(out.getPath());
    }

    /** What the copies of one transaction hold in memory so far. */
    private static final class Budget {
        long used;
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
