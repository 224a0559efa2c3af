package dev.todoke.gateway;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Auto-added recipients (宛先自動追加), under {@code todoke.recipients.} (docs/gateway.md, ADR 0121).
 *
 * @param autoAdd {@code todoke.recipients.auto-add[n]}: the rules, each applied to every outbound mail whose
 *     envelope sender it matches; several may match one mail
 */
@Validated
@ConfigurationProperties("todoke.recipients")
record AutoAddProperties(@DefaultValue List<@Valid Rule> autoAdd) {

    AutoAddProperties {
        autoAdd = List.copyOf(autoAdd);
    }

    /**
     * One rule.
     *
     * @param matchSender whose mail: an address ({@code taro@example.jp}, case does not matter), a domain
     *     ({@code @example.jp}, that domain only), or {@code *} (every outbound mail, the null sender too)
     * @param address the recipient to add
     * @param as how it is added: only {@code bcc} (the envelope gets it; no header names it)
     * @param original true: this recipient receives the original with its attachments whatever the
     *     recipient policy says (an archive mailbox); false: the policy decides, as for any recipient
     */
    record Rule(
            @NotBlank String matchSender,
            @NotBlank String address,
            @DefaultValue("bcc") String as,
            @DefaultValue("false") boolean original) {

        Rule {
            if (matchSender != null) {
                matchSender = matchSender.strip().toLowerCase(Locale.ROOT);
            }
            if (address != null) {
                address = address.strip();
                if (!address.isEmpty()
                        && (address.indexOf('@') <= 0 || address.endsWith("@") || address.contains(" "))) {
                    throw new IllegalArgumentException(
                            "todoke.recipients.auto-add[].address must be a mail address, got: " + address);
                }
            }
            if (as != null && !as.strip().equalsIgnoreCase("bcc")) {
                throw new IllegalArgumentException("todoke.recipients.auto-add[].as supports only bcc, got: " + as);
            }
            as = "bcc";
        }

        /** Whether this rule applies to mail from {@code sender} (the envelope sender, empty for {@code <>}). */
        boolean matches(String sender) {
            String s = sender.toLowerCase(Locale.ROOT);
            if (matchSender.equals("*")) {
                return true;
            }
            if (s.isEmpty()) {
                return false;
            }
            if (matchSender.startsWith("@")) {
                return s.endsWith(matchSender) && s.lastIndexOf('@') == s.length() - matchSender.length();
            }
            return s.equals(matchSender);
        }
    }
}
