package dev.todoke.policy;

import dev.todoke.policy.PolicyDocument.DomainRule;
import dev.todoke.policy.PolicyDocument.SenderRule;
import dev.todoke.policy.PolicyDocument.Settings;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One version of the stored policy set, as the mail path asks it: which TLS action and which expiry
 * limits the stored rules give for a sender and a recipient. Answers only what the database says;
 * whatever it leaves open, the configuration decides (see docs/gateway.md, "Stored policies"):
 *
 * <ol>
 *   <li>the first recipient-domain rule that matches the recipient, and the first sender rule that matches
 *       the sender (address, domain or OIDC group, in the order stored): when both set a key, the stricter
 *       value wins (TLS: {@code refuse-if-no-tls} over {@code zero-knowledge} over {@code link} over {@code keep-if-verified}; expiry:
 *       the shorter);
 *   <li>then the configured rules ({@code todoke.tls.policy.rules});
 *   <li>then the stored {@code defaults};
 *   <li>then the configured defaults ({@code todoke.tls.policy.default}, {@code todoke.links.*}).
 * </ol>
 *
 * <p>An empty set answers nothing, so behaviour is exactly the configured one. Immutable, thread-safe.
 */
public final class Policies {

    static final Policies EMPTY = new Policies(0, PolicyDocument.EMPTY);

    private final long version;
    private final PolicyDocument document;

    Policies(long version, PolicyDocument document) {
        this.version = version;
        this.document = document;
    }

    /** No stored policies: every question is left to the configuration. */
    public static Policies none() {
        return EMPTY;
    }

    /**
     * A set from its JSON, validated as a {@code PUT} is (version 1): for tests and tools that need a set
     * without a database.
     *
     * @throws dev.todoke.common.DomainException {@code invalid-policy} when it does not validate
     */
    public static Policies of(String json) {
        return new Policies(
                1,
                PolicyDocument.parse(
                        tools.jackson.databind.json.JsonMapper.builder().build().readTree(json), true));
    }

    /** The version this snapshot was read at (0: nothing stored yet). */
    public long version() {
        return version;
    }

    /** Whether any rule names an OIDC group (the caller then looks up the sender's groups). */
    public boolean usesGroups() {
        return document.senders().stream().anyMatch(r -> r.group() != null);
    }

    PolicyDocument document() {
        return document;
    }

    /**
     * A stored TLS action and the rule it came from.
     *
     * @param action {@code link}, {@code zero-knowledge}, {@code keep-if-verified} or {@code refuse-if-no-tls}
     * @param rule the rule in words for the audit and the notice: {@code stored policy: recipient domain
     *     partner.example keep-if-verified}
     */
    public record TlsRule(String action, String rule) {}

    /**
     * The stored TLS actions for one recipient.
     *
     * @param rule from a matching rule: applies before the configured rules
     * @param fallback the stored default: applies after the configured rules, before the configured default
     */
    public record TlsChoice(Optional<TlsRule> rule, Optional<TlsRule> fallback) {

        /** Nothing stored: the configuration decides alone. */
        public static final TlsChoice NONE = new TlsChoice(Optional.empty(), Optional.empty());
    }

    /**
     * The stored expiry limits for one message; empty where the configuration ({@code todoke.links.*})
     * applies.
     */
    public record Expiry(Optional<Duration> defaultExpiry, Optional<Duration> maxExpiry) {

        public static final Expiry NONE = new Expiry(Optional.empty(), Optional.empty());
    }

    /** The stored TLS actions for mail from {@code sender} (with these OIDC groups) to {@code recipient}. */
    public TlsChoice tls(String sender, Set<String> groups, String recipient) {
        Optional<DomainRule> byDomain =
                domainRule(recipient).filter(r -> r.settings().tls() != null);
        Optional<SenderRule> bySender =
                senderRule(sender, groups).filter(r -> r.settings().tls() != null);
        Optional<TlsRule> rule;
        if (byDomain.isPresent() && bySender.isPresent()) {
            String a = byDomain.get().settings().tls();
            String b = bySender.get().settings().tls();
            rule = Optional.of(
                    strictness(a) >= strictness(b)
                            ? named(a, "recipient domain " + byDomain.get().domain())
                            : named(b, "sender " + bySender.get().describe()));
        } else {
            rule = byDomain.map(r -> named(r.settings().tls(), "recipient domain " + r.domain()))
                    .or(() -> bySender.map(r -> named(r.settings().tls(), "sender " + r.describe())));
        }
        Optional<TlsRule> fallback =
                Optional.ofNullable(document.defaults().tls()).map(a -> named(a, "default"));
        return new TlsChoice(rule, fallback);
    }

    /**
     * The stored expiry limits for a message from {@code sender} to these link recipients: of the matching
     * sender rule and every link recipient's domain rule, the shortest; else the stored default.
     */
    public Expiry expiry(String sender, Set<String> groups, Collection<String> recipients) {
        List<Settings> matching = new java.util.ArrayList<>();
        senderRule(sender, groups).ifPresent(r -> matching.add(r.settings()));
        for (String recipient : recipients) {
            domainRule(recipient).ifPresent(r -> matching.add(r.settings()));
        }
        return new Expiry(
                shortest(matching, Settings::defaultExpiry)
                        .or(() -> Optional.ofNullable(document.defaults().defaultExpiry())),
                shortest(matching, Settings::maxExpiry)
                        .or(() -> Optional.ofNullable(document.defaults().maxExpiry())));
    }

    /**
     * What the stored rules say about holding one outbound message (docs/hold-and-approval.md). As for TLS,
     * a matching rule applies before the configuration and the stored default after it.
     *
     * @param delay the hold delay of the matching sender rule and the external recipients' domain rules
     *     (the longest of those that set one); it holds all mail they match
     * @param defaultDelay the stored default's hold delay
     * @param approvalRules in words, each matching rule (sender, recipient domain, else the default) with
     *     {@code approval: true}; empty when none asks for approval
     * @param approver the matching sender rule's approver, else the first external recipient domain rule's
     * @param defaultApprover the stored default's approver
     * @param selfCheck a matching sender or recipient domain rule has {@code selfCheck: true}; when none of
     *     them sets it, the stored default
     */
    public record Hold(
            Optional<Duration> delay,
            Optional<Duration> defaultDelay,
            List<String> approvalRules,
            Optional<String> approver,
            Optional<String> defaultApprover,
            boolean selfCheck) {

        public Hold {
            approvalRules = List.copyOf(approvalRules);
        }

        /** Nothing stored: the configuration decides alone. */
        public static final Hold NONE =
                new Hold(Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.empty(), false);
    }

    /** The stored hold and approval rules for mail from {@code sender} to these external recipients. */
    public Hold hold(String sender, Set<String> groups, Collection<String> externalRecipients) {
        List<Settings> matching = new java.util.ArrayList<>();
        List<String> approvalRules = new java.util.ArrayList<>();
        Optional<SenderRule> bySender = senderRule(sender, groups);
        bySender.ifPresent(r -> {
            matching.add(r.settings());
            if (Boolean.TRUE.equals(r.settings().approval())) {
                approvalRules.add("stored policy: sender " + r.describe() + " needs approval");
            }
        });
        Set<String> seen = new java.util.HashSet<>();
        for (String recipient : externalRecipients) {
            domainRule(recipient).filter(r -> seen.add(r.domain())).ifPresent(r -> {
                matching.add(r.settings());
                if (Boolean.TRUE.equals(r.settings().approval())) {
                    approvalRules.add("stored policy: recipient domain " + r.domain() + " needs approval");
                }
            });
        }
        Settings defaults = document.defaults();
        if (approvalRules.isEmpty() && Boolean.TRUE.equals(defaults.approval())) {
            approvalRules.add("stored policy: default needs approval");
        }
        Optional<Duration> delay = matching.stream()
                .map(Settings::holdDelay)
                .filter(d -> d != null)
                .max(Duration::compareTo);
        Optional<String> approver =
                matching.stream().map(Settings::approver).filter(a -> a != null).findFirst();
        List<Boolean> selfChecks = matching.stream()
                .map(Settings::selfCheck)
                .filter(b -> b != null)
                .toList();
        boolean selfCheck =
                selfChecks.isEmpty() ? Boolean.TRUE.equals(defaults.selfCheck()) : selfChecks.contains(Boolean.TRUE);
        return new Hold(
                delay,
                Optional.ofNullable(defaults.holdDelay()),
                approvalRules,
                approver,
                Optional.ofNullable(defaults.approver()),
                selfCheck);
    }

    private static Optional<Duration> shortest(List<Settings> settings, Function<Settings, Duration> key) {
        return settings.stream().map(key).filter(d -> d != null).min(Duration::compareTo);
    }

    private Optional<DomainRule> domainRule(String recipient) {
        String domain = domainOf(recipient);
        return document.recipientDomains().stream()
                .filter(r -> r.matches(domain))
                .findFirst();
    }

    private Optional<SenderRule> senderRule(String sender, Set<String> groups) {
        if (sender == null || sender.isEmpty()) {
            return Optional.empty();
        }
        String address = sender.strip().toLowerCase(Locale.ROOT);
        String domain = domainOf(address);
        return document.senders().stream()
                .filter(r -> r.matches(address, domain, groups))
                .findFirst();
    }

    private static TlsRule named(String action, String rule) {
        return new TlsRule(action, "stored policy: " + rule + " " + action);
    }

    /** keep-if-verified 0, link 1, zero-knowledge 2, refuse-if-no-tls 3. */
    private static int strictness(String action) {
        return switch (action) {
            case "keep-if-verified" -> 0;
            case "zero-knowledge" -> 2;
            case "refuse-if-no-tls" -> 3;
            default -> 1;
        };
    }

    static String domainOf(String address) {
        if (address == null) {
            return "";
        }
        String a = address.strip().toLowerCase(Locale.ROOT);
        int at = a.lastIndexOf('@');
        String d = at < 0 ? "" : a.substring(at + 1);
        d = d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
        try {
            return java.net.IDN.toASCII(d, java.net.IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return d;
        }
    }
}
