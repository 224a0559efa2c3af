package dev.todoke.mime;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1SequenceParser;
import org.bouncycastle.asn1.ASN1StreamParser;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfoParser;
import org.bouncycastle.cms.CMSAuthEnvelopedDataParser;
import org.bouncycastle.cms.CMSEnvelopedDataParser;
import org.bouncycastle.cms.CMSException;

/**
 * Tells from the top-level entity whether a message is really encrypted or signed, by looking at the
 * content and not only the label: S/MIME counts as encrypted only when its body parses as CMS
 * EnvelopedData or AuthEnvelopedData with at least one recipient (Bouncy Castle's CMS parsers), PGP/MIME
 * only when the control part says {@code Version: 1} and the data part is an OpenPGP message (ASCII
 * armour or a binary packet that starts an encrypted message). Anything else labelled encrypted is
 * {@link Security#NONE}: its parts are handled like those of any other message. Reads at most
 * {@link #PREFIX} decoded bytes of a part. Stateless and thread safe.
 */
final class SecurityDetector {

    /** Enough for the CMS header and any sensible number of recipients. */
    static final int PREFIX = 256 * 1024;

    private SecurityDetector() {}

    static Security of(Path file, Part root) throws IOException {
        String type = root.baseType();
        if (type.equals("multipart/signed") && root.isMultipart()) {
            return Security.SIGNED;
        }
        if (type.equals("multipart/encrypted") && root.isMultipart()) {
            return pgpEncrypted(file, root) ? Security.ENCRYPTED : Security.NONE;
        }
        if (type.equals("application/pkcs7-mime") || type.equals("application/x-pkcs7-mime")) {
            return cms(Decoding.head(file, root, PREFIX));
        }
        return Security.NONE;
    }

    /** RFC 3156: application/pgp-encrypted with "Version: 1", then an OpenPGP message. */
    private static boolean pgpEncrypted(Path file, Part root) throws IOException {
        if (root.children.size() != 2) {
            return false;
        }
        Part control = root.children.get(0);
        Part data = root.children.get(1);
        if (!control.baseType().equals("application/pgp-encrypted") || data.isContainer()) {
            return false;
        }
        String version = new String(Decoding.head(file, control, 4096), StandardCharsets.ISO_8859_1);
        boolean versionOne = version.lines().map(String::strip).anyMatch(l -> l.equalsIgnoreCase("Version: 1"));
        return versionOne && openPgpMessage(Decoding.head(file, data, 64));
    }

    /** ASCII-armoured PGP MESSAGE, or a binary packet of a kind that starts an encrypted message. */
    static boolean openPgpMessage(byte[] head) {
        String text = new String(head, StandardCharsets.ISO_8859_1).stripLeading();
        if (text.startsWith("-----BEGIN PGP MESSAGE-----")) {
            return true;
        }
        if (head.length < 2 || (head[0] & 0x80) == 0) {
            return false;
        }
        int first = head[0] & 0xff;
        int tag = (first & 0x40) != 0 ? first & 0x3f : (first >> 2) & 0x0f;
        // session key packets (public-key 1, symmetric 3) or encrypted data (9, 18, 20)
        return tag == 1 || tag == 3 || tag == 9 || tag == 18 || tag == 20;
    }

    /** ENCRYPTED for (Auth)EnvelopedData with recipients, SIGNED for SignedData, NONE for anything else. */
    static Security cms(byte[] prefix) {
        try {
            ASN1ObjectIdentifier kind = new ContentInfoParser(
                            (ASN1SequenceParser) new ASN1StreamParser(open(prefix)).readObject())
                    .getContentType();
            if (kind.equals(CMSObjectIdentifiers.envelopedData)) {
                return new CMSEnvelopedDataParser(open(prefix))
                                        .getRecipientInfos()
                                        .size()
                                > 0
                        ? Security.ENCRYPTED
                        : Security.NONE;
            }
            if (kind.equals(CMSObjectIdentifiers.authEnvelopedData)) {
                return new CMSAuthEnvelopedDataParser(open(prefix))
                                        .getRecipientInfos()
                                        .size()
                                > 0
                        ? Security.ENCRYPTED
                        : Security.NONE;
            }
            if (kind.equals(CMSObjectIdentifiers.signedData)) {
                return Security.SIGNED;
            }
            return Security.NONE;
        } catch (IOException | CMSException | RuntimeException e) {
            return Security.NONE; // not CMS (or not in the first PREFIX bytes): handled like any message
        }
    }

    /** The prefix as a plain stream, so that Bouncy Castle does not take its length as the data's. */
    private static InputStream open(byte[] prefix) {
        return new FilterInputStream(new ByteArrayInputStream(prefix)) {};
    }
}
