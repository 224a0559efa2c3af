package dev.todoke.gateway;

import dev.todoke.TodokeProperties;
import dev.todoke.gateway.MailTransaction.Recorded;
import dev.todoke.gateway.NoticeTexts.AddedLine;
import dev.todoke.gateway.NoticeTexts.Receipt;
import dev.todoke.gateway.RecipientPolicy.Decision;
import dev.todoke.mail.SystemMail;
import dev.todoke.relay.NextHop;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sends the envelope sender one receipt with the management link; none for the null sender {@code <>}.
 * Under forced BCC the receipt says that the recipients did not see each other; mail that passed
 * unchanged gets no receipt, except under forced BCC (its header was changed per recipient, which the
 * sender should know): then a receipt without links lists the recipients. Also runs for unchanged mail
 * for that reason. A receipt that warns about inspection findings (see {@link InspectionStep} and
 * {@link DlpStep}) carries one {@code X-Todoke-Finding} header listing their kinds, comma-separated
 * ({@code encrypted-file}, {@code archive-limit}, {@code my-number}, {@code card-number}, {@code
 * dlp-rule}): never file names, never what was found. Auto-added recipients ({@link AutoAddStep}) are listed
 * in it. Sent over the transaction's next-hop session, after
 * the copies on the same connection. Its acceptance is recorded by the next step, which marks the message
 * relayed in one transaction (a {@code receipt} row of the ledger is still honoured, ADR 0150). Thread-safe.
 * Failure: {@code SystemMailException}.
 */
final class ReceiptStep implements MailStep {

    /** Carried once by a receipt that warns about findings; never holds file names or found data. */
    static final String FINDING_HEADER = "X-Todoke-Finding";

    private final SystemMail systemMail;
    private final NoticeTexts texts;
    private final TodokeProperties todoke;
    private final NextHop nextHop;

    ReceiptStep(SystemMail systemMail, NoticeTexts texts, TodokeProperties todoke, NextHop nextHop) {
        this.systemMail = systemMail;
        this.texts = texts;
        this.todoke = todoke;
        this.nextHop = nextHop;
    }

    @Override
    public Next apply(MailTransaction mail) {
        String sender = mail.envelope().sender();
        if (sender.isEmpty()
                || (mail.isUnchanged() && !mail.isForcedBcc())
                || mail.ledger().accepted(CopyLedger.RECEIPT)) {
            return Next.CONTINUE;
        }
        Map<String, String> tls = new LinkedHashMap<>();
        mail.decisions().forEach((recipient, outcome) -> tls.put(recipient, outcome.tlsVerdict()));
        String subject = mail.parsed().subject();
        Receipt receipt;
        if (mail.isUnchanged()) {
            receipt = Receipt.withoutLinks(subject, mail.envelope().recipients(), tls)
                    .withAdded(added(mail));
        } else {
            Recorded recorded = mail.recorded();
            receipt = new Receipt(
                    subject,
                    mail.recipientsWith(Decision.LINK),
                    mail.recipientsWith(Decision.PASS_THROUGH),
                    recorded.fileLines(),
                    recorded.expiresAt(),
                    todoke.link("/s/" + recorded.manageToken()),
                    tls,
                    mail.isForcedBcc(),
                    mail.encryptedFiles(),
                    added(mail),
                    mail.inspection().snapshot());
        }
        Set<String> findings = new LinkedHashSet<>();
        if (!receipt.encryptedFiles().isEmpty()) {
            findings.add("encrypted-file");
        }
        if (!mail.isUnchanged()) {
            findings.addAll(mail.inspection().findings());
        }
        Map<String, String> headers =
                findings.isEmpty() ? Map.of() : Map.of(FINDING_HEADER, String.join(", ", findings));
        systemMail.send(
                mail.nextHopSession(nextHop),
                "receipt",
                sender,
                texts.receiptSubject(subject),
                texts.receiptText(receipt),
                texts.receiptHtml(receipt),
                headers);
        return Next.CONTINUE;
    }

    private static List<AddedLine> added(MailTransaction mail) {
        return mail.addedRecipients().stream()
                .map(a -> new AddedLine(a.address(), a.original()))
                .toList();
    }

    @Override
    public boolean appliesToUnchangedMail() {
        return true;
    }
}
