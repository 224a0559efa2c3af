package dev.todoke.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.common.DomainException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** How the stored rules answer for a sender and a recipient (docs/gateway.md, "Stored policies"). */
class PoliciesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static Policies of(String json) {
        return new Policies(1, PolicyDocument.parse(JSON.readTree(json), true));
    }

    @Test
    void tlsWhenNothingStoredThenNothingChosen() {
        assertThat(Policies.none().tls("a@corp.example", Set.of(), "b@partner.example"))
                .isEqualTo(Policies.TlsChoice.NONE);
        assertThat(Policies.none().expiry("a@corp.example", Set.of(), List.of("b@partner.example")))
                .isEqualTo(Policies.Expiry.NONE);
    }

    @Test
    void tlsWhenRecipientDomainRuleMatchesThenItsActionFirstMatchInOrder() {
        Policies p = of("""
                {"recipientDomains": [
                  {"domain": "*.partner.example", "settings": {"tls": "refuse-if-no-tls"}},
                  {"domain": "mx.partner.example", "settings": {"tls": "keep-if-verified"}},
                  {"domain": "*", "settings": {"tls": "link"}}]}
                """);

        assertThat(p.tls("a@corp.example", Set.of(), "b@MX.Partner.example.").rule())
                .contains(new Policies.TlsRule(
                        "refuse-if-no-tls", "stored policy: recipient domain *.partner.example refuse-if-no-tls"));
        assertThat(p.tls("a@corp.example", Set.of(), "b@partner.example")
                        .rule()
                        .orElseThrow()
                        .action())
                .isEqualTo("link");
    }

    @Test
    void tlsWhenSenderAndRecipientRulesDisagreeThenTheStricterWins() {
        Policies p = of("""
                {"recipientDomains": [{"domain": "partner.example", "settings": {"tls": "keep-if-verified"}}],
                 "senders": [{"group": "legal", "settings": {"tls": "refuse-if-no-tls"}},
                             {"domain": "corp.example", "settings": {"tls": "link"}}]}
                """);

        assertThat(p.tls("a@corp.example", Set.of(), "b@partner.example")
                        .rule()
                        .orElseThrow()
                        .rule())
                .isEqualTo("stored policy: sender domain corp.example link");
        assertThat(p.tls("a@corp.example", Set.of("legal"), "b@partner.example")
                        .rule()
                        .orElseThrow()
                        .action())
                .isEqualTo("refuse-if-no-tls");
        assertThat(p.tls("a@other.example", Set.of(), "b@partner.example")
                        .rule()
                        .orElseThrow()
                        .action())
                .isEqualTo("keep-if-verified");
        assertThat(p.usesGroups()).isTrue();
    }

    @Test
    void tlsWhenOnlyTheDefaultIsStoredThenItIsTheFallbackNotARule() {
        Policies p = of("{\"defaults\": {\"tls\": \"keep-if-verified\"}}");

        Policies.TlsChoice choice = p.tls("a@corp.example", Set.of(), "b@partner.example");

        assertThat(choice.rule()).isEmpty();
        assertThat(choice.fallback())
                .contains(new Policies.TlsRule("keep-if-verified", "stored policy: default keep-if-verified"));
        assertThat(p.usesGroups()).isFalse();
    }

    @Test
    void expiryWhenSeveralRulesMatchThenTheShortestOfEachElseTheStoredDefault() {
        Policies p = of("""
                {"defaults": {"defaultExpiry": "P5D", "maxExpiry": "P20D"},
                 "recipientDomains": [{"domain": "bank.example", "settings": {"maxExpiry": "P3D"}},
                                      {"domain": "slow.example", "settings": {"defaultExpiry": "P10D"}}],
                 "senders": [{"address": "boss@corp.example", "settings": {"defaultExpiry": "P14D"}}]}
                """);

        assertThat(p.expiry("boss@corp.example", Set.of(), List.of("a@slow.example", "b@bank.example")))
                .isEqualTo(new Policies.Expiry(Optional.of(Duration.ofDays(10)), Optional.of(Duration.ofDays(3))));
        assertThat(p.expiry("x@corp.example", Set.of(), List.of("a@other.example")))
                .isEqualTo(new Policies.Expiry(Optional.of(Duration.ofDays(5)), Optional.of(Duration.ofDays(20))));
    }

    @Test
    void parseWhenStoredByANewerVersionThenUnknownKeysAreIgnored() {
        PolicyDocument document = PolicyDocument.parse(
                JSON.readTree("{\"defaults\": {\"tls\": \"link\", \"dlp\": \"block\"}, \"holds\": []}"), false);

        assertThat(document.defaults().tls()).isEqualTo("link");
        assertThatThrownBy(() -> PolicyDocument.parse(JSON.readTree("{\"holds\": []}"), true))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.details()).containsEntry("path", "holds"));
    }

    @Test
    void parseWhenRulesRepeatOrNameBadDomainsOrDurationsThenInvalidWithThePath() {
        assertThat(pathOf("{\"recipientDomains\": [{\"domain\": \"a.example\"}, {\"domain\": \"A.example.\"}]}"))
                .isEqualTo("recipientDomains[1].domain");
        assertThat(pathOf("{\"recipientDomains\": [{\"domain\": \"bad domain\"}]}"))
                .isEqualTo("recipientDomains[0].domain");
        assertThat(pathOf("{\"senders\": [{\"address\": \"nobody\"}]}")).isEqualTo("senders[0].address");
        assertThat(pathOf("{\"senders\": [{}]}")).isEqualTo("senders[0]");
        assertThat(pathOf("{\"defaults\": {\"defaultExpiry\": \"P10D\", \"maxExpiry\": \"P5D\"}}"))
                .isEqualTo("defaults.defaultExpiry");
        assertThat(pathOf("{\"defaults\": {\"maxExpiry\": \"P400D\"}}")).isEqualTo("defaults.maxExpiry");
        assertThat(pathOf("{\"defaults\": {\"maxExpiry\": \"-P1D\"}}")).isEqualTo("defaults.maxExpiry");
        assertThat(pathOf("{\"senders\": {}}")).isEqualTo("senders");
        assertThat(pathOf("[]")).isEmpty();
    }

    @Test
    void toJsonWhenParsedThenCanonicalAndStable() {
        PolicyDocument document = PolicyDocument.parse(
                JSON.readTree(
                        "{\"senders\": [{\"domain\": \"Corp.EXAMPLE\", \"settings\": {\"maxExpiry\": \"PT168H\"}}],"
                                + " \"recipientDomains\": [{\"domain\": \"例え.jp\"}]}"),
                true);

        String json = JSON.writeValueAsString(document.toJson(JSON));

        assertThat(json)
                .isEqualTo("{\"defaults\":{},\"recipientDomains\":[{\"domain\":\"xn--r8jz45g.jp\",\"settings\":{}}],"
                        + "\"senders\":[{\"domain\":\"corp.example\",\"settings\":{\"maxExpiry\":\"P7D\"}}]}");
        assertThat(PolicyDocument.parse(JSON.readTree(json), true)).isEqualTo(document);
    }

    private static String pathOf(String json) {
        try {
            PolicyDocument.parse(JSON.readTree(json), true);
        } catch (DomainException e) {
            assertThat(e.code()).isEqualTo("invalid-policy");
            return (String) e.details().get("path");
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void holdWhenNothingStoredThenConfigurationDecides() {
        assertThat(Policies.none().hold("a@corp.example", Set.of(), List.of("b@partner.example")))
                .isEqualTo(Policies.Hold.NONE);
    }

    @Test
    void holdWhenRulesMatchThenLongestDelayApprovalRulesAndSenderApproverFirst() {
        Policies p = of("""
                {"defaults": {"holdDelay": "PT0S", "approver": "compliance@corp.example"},
                 "recipientDomains": [
                  {"domain": "partner.example", "settings": {"holdDelay": "PT10M", "approval": true,
                                                             "approver": "partners@corp.example"}},
                  {"domain": "other.example", "settings": {"holdDelay": "PT30M"}}],
                 "senders": [
                  {"group": "legal", "settings": {"approval": true, "approver": "counsel@corp.example",
                                                  "holdDelay": "PT5M"}},
                  {"domain": "corp.example", "settings": {"selfCheck": true}}]}
                """);

        Policies.Hold legal =
                p.hold("a@corp.example", Set.of("legal"), List.of("b@partner.example", "c@other.example"));
        assertThat(legal.delay()).contains(Duration.ofMinutes(30));
        assertThat(legal.defaultDelay()).contains(Duration.ZERO);
        assertThat(legal.approvalRules())
                .containsExactly(
                        "stored policy: sender group legal needs approval",
                        "stored policy: recipient domain partner.example needs approval");
        assertThat(legal.approver()).contains("counsel@corp.example");
        assertThat(legal.defaultApprover()).contains("compliance@corp.example");
        assertThat(legal.selfCheck())
                .as("the group rule matched first; it sets no self-check")
                .isFalse();

        Policies.Hold other = p.hold("a@corp.example", Set.of(), List.of("b@partner.example"));
        assertThat(other.approver()).as("the domain rule's approver").contains("partners@corp.example");
        assertThat(other.selfCheck()).isTrue();
        assertThat(other.delay()).contains(Duration.ofMinutes(10));

        Policies.Hold none = p.hold("x@else.example", Set.of(), List.of("d@unknown.example"));
        assertThat(none.delay()).isEmpty();
        assertThat(none.approvalRules()).isEmpty();
        assertThat(none.approver()).isEmpty();
    }

    @Test
    void holdWhenDefaultAsksForApprovalThenEveryExternalMailNeedsIt() {
        assertThat(of("{\"defaults\": {\"approval\": true}}")
                        .hold("a@corp.example", Set.of(), List.of("b@partner.example"))
                        .approvalRules())
                .containsExactly("stored policy: default needs approval");
    }

    @Test
    void parseWhenHoldKeysInvalidThenRefusedWithPathAndCanonicalFormKeepsThem() {
        assertThatThrownBy(() -> of("{\"defaults\": {\"holdDelay\": \"P8D\"}}"))
                .isInstanceOfSatisfying(
                        DomainException.class,
                        e -> assertThat(e.details()).containsEntry("path", "defaults.holdDelay"));
        assertThatThrownBy(() -> of("{\"defaults\": {\"approval\": \"yes\"}}"))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.details()).containsEntry("path", "defaults.approval"));
        assertThatThrownBy(() -> of("{\"senders\": [{\"group\": \"g\", \"settings\": {\"approver\": \"boss\"}}]}"))
                .isInstanceOfSatisfying(
                        DomainException.class,
                        e -> assertThat(e.details()).containsEntry("path", "senders[0].settings.approver"));

        PolicyDocument document = PolicyDocument.parse(
                JSON.readTree("{\"defaults\": {\"holdDelay\": \"PT2M\", \"approval\": false,"
                        + " \"approver\": \"Boss@Corp.Example\", \"selfCheck\": true}}"),
                true);
        assertThat(document.toJson(JSON).get("defaults").toString())
                .isEqualTo("{\"holdDelay\":\"PT2M\",\"approval\":false,\"approver\":\"boss@corp.example\","
                        + "\"selfCheck\":true}");
    }
}
