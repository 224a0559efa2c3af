package dev.todoke.gateway;

import dev.todoke.MailAddresses;
import dev.todoke.TodokeProperties;
import dev.todoke.policy.Policies;
import dev.todoke.transfer.Holds.Kind;
import dev.todoke.transfer.Transfers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Decides whether one outbound message waits, and for what (docs/hold-and-approval.md): an approval rule
 * first (a content finding, more external recipients than allowed, a recipient domain never mailed before,
 * a listed sender, a stored rule asking for approval, a recipient domain's TLS verdict), then self-check,
 * then the hold delay with its narrower rules. Rules come from configuration ({@code todoke.hold.*}) and
 * from the stored policies (read once per mail; a matching stored rule before the configuration, the
 * stored default after it). Mail that is not outbound, from the null sender, or without external
 * recipients never waits. Thread-safe; asks the database (domains mailed before, the sender's groups and
 * manager) only when a rule needs it, and waits for a TLS verdict only for the {@code tls-verdicts} rule
 * (at most {@code todoke.hold.approval.tls-wait} for the whole message).
 */
final class HoldPolicy {

    /**
     * What the policy decided.
     *
     * @param releaseAt when the mail goes out by itself; null when it waits for a decision
     * @param approver who decides (approval only)
     */
    record Wait(Kind kind, String reason, Instant releaseAt, String approver) {}

    /** Where the stored rules and what a sender's sign-in said come from. */
    record Sources(
            Supplier<Policies> stored,
            Function<String, Set<String>> groups,
            Function<String, Optional<String>> managers,
            RecipientTls tls) {

        /** Configuration only: no stored rules, no sign-ins, no TLS verdicts. */
        static final Sources NONE =
                new Sources(Policies::none, sender -> Set.of(), sender -> Optional.empty(), RecipientTls.NONE);
    }

    private final HoldProperties properties;
    private final TodokeProperties todoke;
    private final Transfers transfers;
    private final Sources sources;

    HoldPolicy(HoldProperties properties, TodokeProperties todoke, Transfers transfers) {
        this(properties, todoke, transfers, Sources.NONE);
    }

    HoldPolicy(HoldProperties properties, TodokeProperties todoke, Transfers transfers, Sources sources) {
        this.properties = properties;
        this.todoke = todoke;
        this.transfers = transfers;
        this.sources = sources;
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
        Policies policies = sources.stored().get();
        Groups groups = new Groups(
                sender,
                policies.usesGroups() || !properties.approval().groupApprovers().isEmpty());
        Policies.Hold stored = policies.hold(sender, policies.usesGroups() ? groups.get() : Set.of(), external);
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
        reasons.addAll(stored.approvalRules());
        tlsRule(external, reasons.isEmpty()).ifPresent(reasons::add);
        if (!reasons.isEmpty()) {
            String reason = String.join("; ", reasons);
            Optional<String> approver = approverOf(sender, groups, stored);
            if (approver.isPresent()) {
                return Optional.of(new Wait(Kind.APPROVAL, reason, null, approver.get()));
            }
            return Optional.of(new Wait(Kind.SELF_CHECK, reason + " (no approver configured)", null, null));
        }
        if (HoldProperties.matches(properties.selfCheck().senders(), sender) || stored.selfCheck()) {
            return Optional.of(new Wait(Kind.SELF_CHECK, "sender confirms their own mail", null, null));
        }
        if (stored.delay().isPresent()) {
            return holdFor(stored.delay().get(), now);
        }
        Duration delay = stored.defaultDelay().orElse(properties.delay());
        if (delay.isZero()) {
            return Optional.empty();
        }
        if (properties.attachmentsOnly()
                && (mail.parsed() == null || mail.parsed().attachments().isEmpty())) {
            return Optional.empty();
        }
        if (properties.newDomainsOnly() && newDomains(external).isEmpty()) {
            return Optional.empty();
        }
        return holdFor(delay, now);
    }

    private static Optional<Wait> holdFor(Duration delay, Instant now) {
        return delay.isZero()
                ? Optional.empty()
                : Optional.of(new Wait(Kind.HOLD, "hold " + delay, now.plus(delay), null));
    }

    /**
     * The approver: a matching stored rule's, then the configured one by sender address, by the sender's
     * group, the sender's manager (last OIDC sign-in), by sender domain, the stored default, the configured
     * default. Never the sender themselves.
     */
    Optional<String> approverOf(String sender, Supplier<Set<String>> groups, Policies.Hold stored) {
        HoldProperties.Approval approval = properties.approval();
        String self = sender.strip().toLowerCase(Locale.ROOT);
        Stream<Supplier<Optional<String>>> candidates = Stream.of(
                stored::approver,
                () -> approval.byAddress(sender),
                () -> approval.groupApprovers().isEmpty() ? Optional.empty() : approval.byGroup(groups.get()),
                () -> approval.manager() ? sources.managers().apply(sender) : Optional.empty(),
                () -> approval.byDomain(sender),
                stored::defaultApprover,
                () -> Optional.ofNullable(approval.defaultApprover()));
        return candidates
                .map(Supplier::get)
                .flatMap(Optional::stream)
                .map(String::strip)
                .filter(a -> !a.isEmpty() && !a.toLowerCase(Locale.ROOT).equals(self))
                .findFirst();
    }

    /**
     * The {@code tls-verdicts} rule: an external recipient domain with one of the listed verdicts. Waits for
     * unknown verdicts (all domains together at most {@code tls-wait}) only when nothing else sends the mail
     * to approval; a verdict still unknown then does not count.
     */
    private Optional<String> tlsRule(List<String> external, boolean wait) {
        List<String> listed = properties.approval().tlsVerdicts();
        if (listed.isEmpty()) {
            return Optional.empty();
        }
        long deadline =
                System.nanoTime() + (wait ? properties.approval().tlsWait().toNanos() : 0);
        Set<String> domains = new LinkedHashSet<>();
        for (String recipient : external) {
            if (!MailAddresses.hasRoutedLocalPart(recipient)) {
                domains.add(MailAddresses.domainOf(recipient).toLowerCase(Locale.ROOT));
            }
        }
        List<String> hits = new ArrayList<>();
        for (String domain : domains) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            sources.tls()
                    .verdictWithin(domain, left)
                    .filter(listed::contains)
                    .ifPresent(code -> hits.add(domain + " (" + code + ")"));
        }
        return hits.isEmpty() ? Optional.empty() : Optional.of("TLS verdict " + String.join(", ", hits));
    }

    /** The recipient domains no earlier mail went to, in order. */
    private List<String> newDomains(List<String> external) {
        Set<String> domains = new LinkedHashSet<>();
        for (String recipient : external) {
            domains.add(recipient.substring(recipient.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT));
        }
        return domains.stream().filter(d -> !transfers.mailedBefore(d)).toList();
    }

    /** The sender's OIDC groups, read at most once per mail and only when a rule needs them. */
    private final class Groups implements Supplier<Set<String>> {
        private final String sender;
        private final boolean needed;
        private Set<String> groups;

        Groups(String sender, boolean needed) {
            this.sender = sender;
            this.needed = needed;
        }

        @Override
        public Set<String> get() {
            if (groups == null) {
                groups = needed ? sources.groups().apply(sender) : Set.of();
            }
            return groups;
        }
    }
}
