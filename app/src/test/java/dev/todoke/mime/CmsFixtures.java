package dev.todoke.mime;

import java.nio.charset.StandardCharsets;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKEKRecipientInfoGenerator;

/** Real CMS structures for tests, made with Bouncy Castle (a symmetric KEK recipient: no certificate needed). */
public final class CmsFixtures {

    /** MIME content to sign: a text body and a small PDF {@code a.pdf} (base64 {@code JVBERi0xLjQK...}). */
    public static final String SIGNED_CONTENT_WITH_PDF = String.join(
            "\r\n",
            "Content-Type: multipart/mixed; boundary=\"m\"",
            "",
            "--m",
            "Content-Type: text/plain; charset=UTF-8",
            "",
            "signed body",
            "--m",
            "Content-Type: application/pdf; name=\"a.pdf\"",
            "Content-Transfer-Encoding: base64",
            "",
            "JVBERi0xLjQKc2lnbmVkIGZpbGU=",
            "--m--",
            "");

    private CmsFixtures() {}

    /** DER EnvelopedData with one KEK recipient around {@code content}. */
    public static byte[] envelopedData(String content) throws Exception {
        KeyGenerator aes = KeyGenerator.getInstance("AES");
        aes.init(128);
        SecretKey kek = aes.generateKey();
        CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
        generator.addRecipientInfoGenerator(
                new JceKEKRecipientInfoGenerator("kek-1".getBytes(StandardCharsets.US_ASCII), kek));
        return generator
                .generate(
                        new CMSProcessableByteArray(content.getBytes(StandardCharsets.UTF_8)),
                        new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES128_CBC).build())
                .getEncoded();
    }

    /** DER SignedData without signers (a certificate-only structure) around {@code content}. */
    public static byte[] signedData(String content) throws Exception {
        return new CMSSignedDataGenerator()
                .generate(new CMSProcessableByteArray(content.getBytes(StandardCharsets.UTF_8)), true)
                .getEncoded();
    }
}
