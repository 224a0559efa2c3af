package dev.todoke.gateway;

import dev.todoke.TodokeProperties;
import dev.todoke.transfer.Holds.Kind;
import dev.todoke.transfer.Transfers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether one outbound message waits, and for what (configuration {@code todoke.hold.*}): an
 * approval rule first (a content finding, more external recipients than allowed, a recipient domain never
 * mailed before, a listed sender), then self-check, then the hold delay with its narrower rules. Mail that
 * is not outbound, from the null sender, or without external recipients never waits. Thread-safe; asks
 * the database (recipient domains mailed before) only when a rule needs it.
 */
final class HoldPolicy {

    /**
     * What the policy decided.
     *
     * @param releaseAt when the mail goes out by itself; null when it waits for a decision
     * @param approver who decides (approval only)
     */
    record Wait(Kind kind, String reason, Instant releaseAt, String approver) {}

    private final HoldProperties properties;
    private final TodokeProperties todoke;
    private final Transfers transfers;

    HoldPolicy(HoldProperties properties, TodokeProperties todoke, Transfers transfers) {
        this.properties = properties;
        this.todoke = todoke;
        this.transfers = transfers;
    }

    Optional<Wait> decide(MailTransaction mail, Instant now) {
        String sender = mail.envelope().sender();
        if (!mail.isOutbound() || sender.isEmpty()) {
            return Optional.empty();
        }
        List<String> external = mail.envelope().recipients().stream()
                .filter(r -> !todoke.isInternal(r))
                .toList();
        if (external.isEmpty()) {
            return Optional.empty();
        }
        HoldProperties.Approval approval = properties.approval();
        List<String> reasons = new ArrayList<>(mail.approvalReasons());
        if (approval.externalRecipientsOver() > 0 && external.size() > approval.externalRecipientsOver()) {
            reasons.add("more than " + approval.externalRecipientsOver() + " external recipients");
        }
        if (approval.newDomains() && !newDomains(external).isEmpty()) {
            reasons.add("first mail to " + String.join(", ", newDomains(external)));
        }
        if (HoldProperties.matches(approval.senders(), sender)) {
            reasons.add("sender needs approval");
        }
        if (!reasons.isEmpty()) {
            String reason = String.join("; ", reasons);
            Optional<String> approver = approval.approverOf(sender);
            if (approver.isPresent()) {
                return Optional.of(new Wait(Kind.APPROVAL, reason, null, approver.get()));
            }
            return Optional.of(new Wait(Kind.SELF_CHECK, reason + " (no approver configured)", null, null));
        }
        if (HoldProperties.matches(properties.selfCheck().senders(), sender)) {
            return Optional.of(new Wait(Kind.SELF_CHECK, "sender confirms their own mail", null, null));
        }
        if (!properties.holding()) {
            return Optional.empty();
        }
        if (properties.attachmentsOnly()
                && (mail.parsed() == null || mail.parsed().attachments().isEmpty())) {
            return Optional.empty();
        }
        if (properties.newDomainsOnly() && newDomains(external).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Wait(Kind.HOLD, "hold " + properties.delay(), now.plus(properties.delay()), null));
    }

    /** The recipient domains no earlier mail went to, in order. */
    private List<String> newDomains(List<String> external) {
        Set<String> domains = new LinkedHashSet<>();
        for (String recipient : external) {
            domains.add(recipient.substring(recipient.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT));
        }
        return domains.stream().filter(d -> !transfers.mailedBefore(d)).toList();
    }
}
