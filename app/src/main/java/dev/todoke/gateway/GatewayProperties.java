package dev.todoke.gateway;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the gateway treats what it cannot rewrite, under {@code todoke.gateway.}.
 *
 * @param encrypted S/MIME- or PGP-encrypted mail: {@code pass} it unchanged (default: it is already
 *     protected end to end) or {@code refuse} it with 554 5.7.0
 * @param signed signed mail (S/MIME multipart/signed, PGP/MIME) with attachments: {@code unwrap}
 *     (default: take off the signature, which the removal of attachments would break anyway, and say
 *     so in the notice) or {@code refuse} it with 554 5.7.0
 * @param refusalText the text of the 554 5.6.0 reply to mail that cannot be parsed safely; {@code
 *     {reason}} is replaced by the parser's reason
 * @param encryptedRefusalText the text of the 554 reply when encrypted mail is refused
 * @param signedRefusalText the text of the 554 reply when signed mail with attachments is refused
 * @param earlyStore store the large base64 attachments of outbound mail while DATA still arrives (default
 *     {@code true}, ADR 0198); {@code false} stores every attachment after DATA, as before
 */
@Validated
@ConfigurationProperties("todoke.gateway")
record GatewayProperties(
        @NotNull @DefaultValue("pass") Encrypted encrypted,
        @NotNull @DefaultValue("unwrap") Signed signed,

        @NotBlank @DefaultValue("Message refused: Todoke cannot process it safely ({reason})")
        String refusalText,

        @NotBlank @DefaultValue("Encrypted mail to external recipients is not accepted here")
        String encryptedRefusalText,

        @NotBlank @DefaultValue("Signed mail with attachments to external recipients is not accepted here")
        String signedRefusalText,

        @DefaultValue("true") boolean earlyStore) {

    enum Encrypted {
        PASS,
        REFUSE
    }

    enum Signed {
        UNWRAP,
        REFUSE
    }

    GatewayProperties {
        for (String text : new String[] {refusalText, encryptedRefusalText, signedRefusalText}) {
            if (text.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
                throw new IllegalArgumentException(
                        "todoke.gateway.*-text must be printable ASCII on one line (it is an SMTP reply): " + text);
            }
        }
    }

    /** The refusal text for an unparseable mail, with the reason filled in (made SMTP-safe). */
    String refusal(String reason) {
        String safe = reason == null ? "unknown" : reason.replaceAll("[^\\x20-\\x7e]", "?");
        if (safe.length() > 200) {
            safe = safe.substring(0, 200);
        }
        return refusalText.replace("{reason}", safe);
    }
}
