package dev.todoke.relay;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS for the next hop client. When {@link RelayProperties#verifiesCertificate()} (the default for
 * {@code required} and for every host that is not a loopback address): the certificate chain is checked
 * against the trust store (or the JDK's CAs) and the host name against the certificate, and a failed
 * check fails the handshake. Otherwise it encrypts without checking the certificate, as MTAs do between
 * each other (protects against passive eavesdropping only). Thread-safe: the context is immutable.
 */
final class RelayTls {

    private final SSLContext context;
    private final boolean verify;

    RelayTls(RelayProperties properties) {
        this.verify = properties.verifiesCertificate();
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, verify ? verifyingTrust(properties) : new TrustManager[] {new AcceptAny()}, null);
            this.context = ssl;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS for the next hop: " + e.getMessage(), e);
        }
    }

    /** True when certificate chain and host name are checked. */
    boolean verifies() {
        return verify;
    }

    SSLSocket upgrade(Socket plain, String host, int port) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
        socket.setUseClientMode(true);
        if (verify) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
        }
        socket.startHandshake();
        return socket;
    }

    private static TrustManager[] verifyingTrust(RelayProperties properties)
            throws GeneralSecurityException, IOException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (properties.trustStore() == null) {
            factory.init((KeyStore) null);
        } else {
            KeyStore store = KeyStore.getInstance(properties.trustStoreType());
            try (InputStream in = Files.newInputStream(properties.trustStore())) {
                store.load(in, properties.trustStorePassword().toCharArray());
            }
            factory.init(store);
        }
        return factory.getTrustManagers();
    }

    /** Opportunistic TLS: any certificate, as between MTAs without DANE or MTA-STS. */
    private static final class AcceptAny implements X509TrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // Deliberately accepted: opportunistic TLS (see the class comment).
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
