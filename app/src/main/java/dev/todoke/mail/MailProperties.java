package dev.todoke.mail;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.validation.constraints.NotBlank;
import java.util.Base64;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings for the mail Todoke writes itself (notices, receipts, passcodes, download notes), under
 * {@code todoke.mail.}.
 *
 * @param from the From header of every system mail
 * @param envelopeFrom MAIL FROM of system mails; empty (the default) sends them with the null
 *     reverse-path {@code <>}, as RFC 3834 recommends for automatic mail, so that they never bounce back
 * @param sealKey base64 of the HMAC key (at least 32 bytes) that seals Todoke's own mail against
 *     loops; empty: a key is generated on first start into {@code ${todoke.data-dir}/keys/seal.key}.
 *     Several replicas must share one key.
 */
@Validated
@ConfigurationProperties("todoke.mail")
record MailProperties(
        @NotBlank @DefaultValue("Todoke <no-reply@localhost>")
        String from,

        @DefaultValue("") String envelopeFrom,
        @DefaultValue("") String sealKey) {

    MailProperties {
        try {
            new InternetAddress(from, true);
        } catch (AddressException e) {
            throw new IllegalArgumentException("todoke.mail.from is not a mail address: " + from, e);
        }
        envelopeFrom = envelopeFrom.trim();
        if (!envelopeFrom.isEmpty()) {
            try {
                new InternetAddress(envelopeFrom, true);
            } catch (AddressException e) {
                throw new IllegalArgumentException(
                        "todoke.mail.envelope-from is not a mail address: " + envelopeFrom, e);
            }
        }
        sealKey = sealKey.trim();
        if (!sealKey.isEmpty()) {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(sealKey);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("todoke.mail.seal-key is not base64", e);
            }
            if (key.length < 32) {
                throw new IllegalArgumentException("todoke.mail.seal-key must hold at least 32 bytes");
            }
        }
    }
}
