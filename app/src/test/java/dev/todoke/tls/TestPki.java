package dev.todoke.tls;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Test certificates made with Bouncy Castle: a CA, leaves it signs, self-signed leaves, trust stores. */
final class TestPki {

    static final String STORE_PASSWORD = "changeit-test";
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A key pair and its certificate; {@code chain} is the leaf first, then its issuers. */
    record Issued(KeyPair keys, X509Certificate cert, X509Certificate[] chain) {}

    private TestPki() {}

    static Issued ca(String name) {
        KeyPair keys = keyPair();
        X509Certificate cert = build(name, name, keys, keys, true, Instant.now().plus(Duration.ofDays(30)));
        return new Issued(keys, cert, new X509Certificate[] {cert});
    }

    static Issued leaf(Issued ca, String name, String... altNames) {
        return leaf(ca, Instant.now().plus(Duration.ofDays(30)), name, altNames);
    }

    static Issued leaf(Issued ca, Instant notAfter, String name, String... altNames) {
        KeyPair keys = keyPair();
        X509Certificate cert =
                build(ca.cert().getSubjectX500Principal().getName(), name, keys, ca.keys(), false, notAfter, altNames);
        return new Issued(keys, cert, new X509Certificate[] {cert, ca.cert()});
    }

    static Issued selfSigned(String name, String... altNames) {
        KeyPair keys = keyPair();
        X509Certificate cert =
                build(name, name, keys, keys, false, Instant.now().plus(Duration.ofDays(30)), altNames);
        return new Issued(keys, cert, new X509Certificate[] {cert});
    }

    /** A server-side context presenting {@code leaf}'s chain. */
    static SSLContext serverContext(Issued leaf) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", leaf.keys().getPrivate(), STORE_PASSWORD.toCharArray(), leaf.chain());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, STORE_PASSWORD.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    static KeyStore trustStore(X509Certificate... trusted) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        for (int i = 0; i < trusted.length; i++) {
            ks.setCertificateEntry("trusted-" + i, trusted[i]);
        }
        return ks;
    }

    /** Writes a PKCS12 trust store (password {@link #STORE_PASSWORD}) and returns its path. */
    static Path writeTrustStore(Path dir, X509Certificate... trusted) throws Exception {
        Path file = dir.resolve("truststore-" + SERIAL.incrementAndGet() + ".p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            trustStore(trusted).store(out, STORE_PASSWORD.toCharArray());
        }
        return file;
    }

    static SSLContext clientContext(X509Certificate... trusted) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trustStore(trusted));
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate build(
            String issuer,
            String subject,
            KeyPair subjectKeys,
            KeyPair issuerKeys,
            boolean ca,
            Instant notAfter,
            String... altNames) {
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    new X500Name(issuer.contains("=") ? issuer : "CN=" + issuer),
                    BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(notAfter),
                    new X500Name("CN=" + subject),
                    subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(
                        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            }
            if (altNames.length > 0) {
                GeneralName[] names = new GeneralName[altNames.length];
                for (int i = 0; i < altNames.length; i++) {
                    boolean ip = altNames[i].matches("[0-9.]+") || altNames[i].contains(":");
                    names[i] = new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, altNames[i]);
                }
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(
                            new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Certificate[] certificates(Issued issued) {
        return issued.chain();
    }
}
