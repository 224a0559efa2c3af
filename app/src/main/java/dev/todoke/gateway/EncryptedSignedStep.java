package dev.todoke.gateway;

import dev.todoke.mime.ParsedMessage;
import dev.todoke.mime.Security;

/**
 * What Todoke cannot rewrite, and what there is nothing to rewrite in: encrypted mail passes unchanged
 * or is refused ({@code todoke.gateway.encrypted}); mail without attachments passes unchanged; signed
 * mail with attachments goes on (the rewriter takes off the signature) or is refused ({@code
 * todoke.gateway.signed}). Refusals are 554 5.7.0 with the configured text. Thread-safe.
 */
final class EncryptedSignedStep implements MailStep {

    private final GatewayProperties properties;

    EncryptedSignedStep(GatewayProperties properties) {
        this.properties = properties;
    }

    /** @throws MailRefusal 5.7.0 when encrypted mail, or signed mail with attachments, is refused */
    @Override
    public Next apply(MailTransaction mail) throws MailRefusal {
        ParsedMessage parsed = mail.parsed();
        if (parsed.security() == Security.ENCRYPTED) {
            if (properties.encrypted() == GatewayProperties.Encrypted.REFUSE) {
                throw new MailRefusal("5.7.0", properties.encryptedRefusalText(), "encrypted mail refused");
            }
            return Next.PASS_UNCHANGED;
        }
        if (!parsed.hasAttachments()) {
            return Next.PASS_UNCHANGED;
        }
        if (parsed.security() == Security.SIGNED && properties.signed() == GatewayProperties.Signed.REFUSE) {
            throw new MailRefusal("5.7.0", properties.signedRefusalText(), "signed mail with attachments refused");
        }
        return Next.CONTINUE;
    }
}
