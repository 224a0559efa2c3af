package dev.todoke.smtp;

import dev.todoke.storage.OwnerOnly;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.server.SSLSocketCreator;

/**
 * The listener's STARTTLS certificate: the configured PKCS12 key store, or a self-signed one generated
 * on first start into {@code <data-dir>/tls/smtp.p12} (ECDSA P-256, quick to generate and supported by every current TLS stack; CN and DNS name = the SMTP host name,
 * readable by the owner only; its random password beside it in {@code smtp.p12.password}).
 */
final class ListenerTls {

    private static final Logger log = LoggerFactory.getLogger(ListenerTls.class);
    private static final String ALIAS = "todoke-smtp";

    private ListenerTls() {}

    static SSLSocketCreator socketCreator(SSLContext context) {
        return socket -> {
            InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
            SSLSocket tls = (SSLSocket)
                    context.getSocketFactory().createSocket(socket, remote.getHostString(), socket.getPort(), true);
            tls.setUseClientMode(false);
            return tls;
        };
    }

    static SSLContext context(SmtpProperties.Tls tls, Path dataDir, String hostName, Clock clock, SecureRandom random) {
        try {
            KeyStore store;
            char[] password;
            if (tls.keyStore() != null) {
                password = tls.keyStorePassword().toCharArray();
                store = load(tls.keyStore(), password);
            } else {
                Path dir = dataDir.resolve("tls");
                Path file = dir.resolve("smtp.p12");
                Path passwordFile = dir.resolve("smtp.p12.password");
                if (!Files.exists(file)) {
                    generate(dir, file, passwordFile, hostName, clock, random);
                }
                password = Files.readString(passwordFile, StandardCharsets.US_ASCII)
                        .trim()
                        .toCharArray();
                store = load(file, password);
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, random);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up STARTTLS for the SMTP listener: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path file, char[] password) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }

    private static void generate(
            Path dir, Path file, Path passwordFile, String hostName, Clock clock, SecureRandom random)
            throws GeneralSecurityException, IOException {
        OwnerOnly.createDirectories(dir);
        byte[] secret = new byte[24];
        random.nextBytes(secret);
        char[] password =
                Base64.getUrlEncoder().withoutPadding().encodeToString(secret).toCharArray();

        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        KeyPair pair = generator.generateKeyPair();
        X509Certificate certificate = selfSigned(pair, hostName, clock.instant(), random);

        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(ALIAS, pair.getPrivate(), password, new Certificate[] {certificate});
        writeOwnerOnly(passwordFile, new String(password).getBytes(StandardCharsets.US_ASCII));
        try (OutputStream out = ownerOnlyOutput(file)) {
            store.store(out, password);
        }
        log.info("Generated a self-signed STARTTLS certificate for {} in {}", hostName, file);
    }

    static X509Certificate selfSigned(KeyPair pair, String hostName, Instant now, SecureRandom random)
            throws GeneralSecurityException {
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, hostName)
                .build();
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    name,
                    new BigInteger(64, random).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(3650))),
                    name,
                    pair.getPublic());
            builder.addExtension(
                    Extension.subjectAlternativeName,
                    false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, hostName)));
            return new JcaX509CertificateConverter()
                    .getCertificate(
                            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException("cannot sign the certificate", e);
        }
    }

    private static void writeOwnerOnly(Path file, byte[] content) throws IOException {
        try (OutputStream out = ownerOnlyOutput(file)) {
            out.write(content);
        }
    }

    private static OutputStream ownerOnlyOutput(Path file) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
