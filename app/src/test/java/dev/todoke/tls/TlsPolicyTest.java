package dev.todoke.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.tls.TlsDecision.Action;
import dev.todoke.tls.TlsReport.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TlsPolicyTest {

    final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();
    final List<String> probed = new ArrayList<>();
    final CountDownLatch slow = new CountDownLatch(1);
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T09:00:00Z"));
    final CachingTlsChecker checker = new CachingTlsChecker(
            this::probe,
            Executors.newVirtualThreadPerTaskExecutor(),
            clock,
            Duration.ofHours(6),
            Duration.ofMinutes(10),
            100);

    private TlsReport probe(String domain) {
        synchronized (probed) {
            probed.add(domain);
        }
        if (domain.startsWith("slow.")) {
            try {
                slow.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new TlsReport(
                domain,
                verdicts.getOrDefault(domain, Verdict.TLS),
                clock.instant(),
                List.of(),
                TlsReport.MtaSts.NONE,
                TlsReport.Dane.NONE);
    }

    @AfterEach
    void close() {
        slow.countDown();
        checker.close();
    }

    private TlsPolicy policy(PolicyAction defaultAction, TlsProperties.Rule... rules) {
        TestTls.Props props = new TestTls.Props();
        props.defaultAction = defaultAction;
        props.rules = List.of(rules);
        return new TlsPolicy(checker, props.build());
    }

    private static TlsProperties.Rule rule(String domain, PolicyAction action) {
        return new TlsProperties.Rule(domain, action);
    }

    @Test
    void decideWhenDefaultLinkThenLinkWithoutStartingAProbe() {
        TlsDecision decision = policy(PolicyAction.LINK).decide("someone@partner.example", Duration.ofSeconds(1));

        assertThat(decision.action()).isEqualTo(Action.LINK);
        assertThat(decision.rule()).isEqualTo("default link");
        assertThat(decision.verdict()).isEmpty();
        assertThat(decision.domain()).isEqualTo("partner.example");
        assertThat(probed).isEmpty();
    }

    @Test
    void decideWhenZeroKnowledgeConfiguredOrStoredThenZeroKnowledgeLinkWithoutStartingAProbe() {
        TlsDecision configured = policy(PolicyAction.LINK, rule("partner.example", PolicyAction.ZERO_KNOWLEDGE))
                .decide("someone@partner.example", Duration.ofSeconds(1));
        TlsDecision stored = policy(PolicyAction.LINK)
                .decide(
                        "someone@other.example",
                        Duration.ofSeconds(1),
                        dev.todoke.policy.Policies.of("""
                                {"defaults": {"tls": "zero-knowledge"}}""")
                                .tls("sender@corp.example", java.util.Set.of(), "someone@other.example"));

        assertThat(configured.action()).isEqualTo(Action.ZERO_KNOWLEDGE_LINK);
        assertThat(configured.rule()).isEqualTo("rules[0] partner.example zero-knowledge");
        assertThat(stored.action()).isEqualTo(Action.ZERO_KNOWLEDGE_LINK);
        assertThat(probed).isEmpty();
    }

    @Test
    void decideWhenLinkAndVerdictCachedThenReportsTheCachedVerdict() {
        verdicts.put("partner.example", Verdict.TLS_VERIFIED);
        checker.check("partner.example", false);

        TlsDecision decision = policy(PolicyAction.LINK).decide("someone@partner.example", Duration.ZERO);

        assertThat(decision.action()).isEqualTo(Action.LINK);
        assertThat(decision.verdict()).contains("tls-verified");
    }

    @Test
    void decideWhenKeepIfVerifiedAndVerdictTlsVerifiedThenKeepAttachments() {
        verdicts.put("partner.example", Verdict.TLS_VERIFIED);

        TlsDecision decision =
                policy(PolicyAction.KEEP_IF_VERIFIED).decide("Someone@Partner.Example", Duration.ofSeconds(2));

        assertThat(decision.action()).isEqualTo(Action.KEEP_ATTACHMENTS);
        assertThat(decision.rule()).isEqualTo("default keep-if-verified");
        assertThat(decision.verdict()).contains("tls-verified");
        assertThat(decision.explanation()).contains("Attachments kept").contains("partner.example");
    }

    @Test
    void decideWhenKeepIfVerifiedAndVerdictOnlyTlsThenLink() {
        for (Verdict v : List.of(Verdict.TLS, Verdict.NO_TLS, Verdict.UNREACHABLE, Verdict.NO_MX)) {
            verdicts.put(v.code() + ".example", v);
            TlsDecision decision =
                    policy(PolicyAction.KEEP_IF_VERIFIED).decide("a@" + v.code() + ".example", Duration.ofSeconds(2));
            assertThat(decision.action()).as(v.code()).isEqualTo(Action.LINK);
            assertThat(decision.verdict()).contains(v.code());
        }
    }

    @Test
    void decideWhenRefuseIfNoTlsAndVerdictNoTlsThenRefuseWithClearExplanation() {
        verdicts.put("plain.example", Verdict.NO_TLS);

        TlsDecision decision = policy(PolicyAction.REFUSE_IF_NO_TLS).decide("a@plain.example", Duration.ofSeconds(2));

        assertThat(decision.action()).isEqualTo(Action.REFUSE);
        assertThat(decision.explanation())
                .isEqualTo("Refused: the mail server of plain.example does not offer TLS encryption"
                        + " (TLS policy: default refuse-if-no-tls)");
    }

    @Test
    void decideWhenNoBudgetGivenThenConfiguredBudgetUsed() {
        verdicts.put("plain.example", Verdict.NO_TLS);

        assertThat(policy(PolicyAction.REFUSE_IF_NO_TLS)
                        .decide("a@plain.example")
                        .action())
                .isEqualTo(Action.REFUSE);
    }

    @Test
    void decideWhenRefuseIfNoTlsAndOtherVerdictsThenLink() {
        for (Verdict v : List.of(Verdict.TLS_VERIFIED, Verdict.TLS, Verdict.UNREACHABLE, Verdict.NO_MX)) {
            verdicts.put(v.code() + ".example", v);
            assertThat(policy(PolicyAction.REFUSE_IF_NO_TLS)
                            .decide("a@" + v.code() + ".example", Duration.ofSeconds(2))
                            .action())
                    .as(v.code())
                    .isEqualTo(Action.LINK);
        }
    }

    @Test
    void decideWhenCheckSlowerThanBudgetThenUnknownNeverRefusesNorKeeps() {
        verdicts.put("slow.example", Verdict.NO_TLS);
        long start = System.nanoTime();

        TlsDecision refuse = policy(PolicyAction.REFUSE_IF_NO_TLS).decide("a@slow.example", Duration.ofMillis(100));
        TlsDecision keep = policy(PolicyAction.KEEP_IF_VERIFIED).decide("a@slow.example", Duration.ofMillis(100));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(refuse.action()).isEqualTo(Action.LINK);
        assertThat(refuse.verdict()).isEmpty();
        assertThat(keep.action()).isEqualTo(Action.LINK);
        assertThat(refuse.explanation()).contains("unknown");
    }

    @Test
    void decideWhenRulesMatchThenFirstMatchingRuleAppliesAndIsNamed() {
        verdicts.put("mail.partner.example", Verdict.TLS_VERIFIED);
        verdicts.put("partner.example", Verdict.TLS_VERIFIED);
        verdicts.put("other.example", Verdict.NO_TLS);
        TlsPolicy policy = policy(
                PolicyAction.REFUSE_IF_NO_TLS,
                rule("*.partner.example", PolicyAction.KEEP_IF_VERIFIED),
                rule("partner.example", PolicyAction.LINK),
                rule("*.example", PolicyAction.KEEP_IF_VERIFIED));

        TlsDecision sub = policy.decide("a@mail.partner.example", Duration.ofSeconds(2));
        TlsDecision exact = policy.decide("a@partner.example", Duration.ofSeconds(2));
        TlsDecision other = policy.decide("a@other.example", Duration.ofSeconds(2));
        TlsDecision fallback = policy.decide("a@elsewhere.org", Duration.ofSeconds(2));

        assertThat(sub.action()).isEqualTo(Action.KEEP_ATTACHMENTS);
        assertThat(sub.rule()).isEqualTo("rules[0] *.partner.example keep-if-verified");
        assertThat(exact.action()).isEqualTo(Action.LINK);
        assertThat(exact.rule()).isEqualTo("rules[1] partner.example link");
        assertThat(other.action()).isEqualTo(Action.LINK);
        assertThat(other.rule()).isEqualTo("rules[2] *.example keep-if-verified");
        assertThat(fallback.rule()).isEqualTo("default refuse-if-no-tls");
    }

    @Test
    void decideWhenWildcardRuleThenNotTheParentDomainButDeeperSubdomains() {
        TlsProperties.Rule wildcard = rule("*.Example.com", PolicyAction.LINK);

        assertThat(wildcard.matches("a.b.example.com")).isTrue();
        assertThat(wildcard.matches("example.com")).isFalse();
        assertThat(wildcard.matches("badexample.com")).isFalse();
        assertThat(rule("*", PolicyAction.LINK).matches("anything.test")).isTrue();
        assertThat(rule("example.com.", PolicyAction.LINK).matches("example.com"))
                .isTrue();
    }

    @Test
    void decideWhenAddressHasNoValidDomainThenLinkWithoutProbe() {
        TlsDecision decision = policy(PolicyAction.REFUSE_IF_NO_TLS).decide("not-an-address", Duration.ofSeconds(1));

        assertThat(decision.action()).isEqualTo(Action.LINK);
        assertThat(decision.rule()).isEqualTo("invalid domain");
        assertThat(probed).isEmpty();
    }
}
