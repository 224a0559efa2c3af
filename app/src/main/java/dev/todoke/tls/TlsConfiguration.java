package dev.todoke.tls;

import dev.todoke.TodokeProperties;
import dev.todoke.audit.AuditLog;
import dev.todoke.gateway.RecipientPolicy;
import dev.todoke.sender.TlsSummaries;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Wires the TLS check from {@code todoke.tls.*}. */
@Configuration(proxyBeanMethods = false)
class TlsConfiguration {

    @Bean
    TrustMaterial tlsTrustMaterial(TlsProperties properties, SecureRandom random) {
        return TrustMaterial.load(properties, random);
    }

    @Bean
    MtaStsPolicyFetcher mtaStsPolicyFetcher(TrustMaterial trust) {
        return new HttpsMtaStsPolicyFetcher(trust.verifyingContext());
    }

    @Bean
    CachingTlsChecker tlsChecker(
            TlsProperties properties,
            TodokeProperties todoke,
            TrustMaterial trust,
            MtaStsPolicyFetcher mtaSts,
            Clock clock,
            MeterRegistry registry,
            SharedReports shared) {
        var executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("tls-check-", 0).factory());
        Dns dns = Dns.of(properties.resolver(), properties.dnsTimeout());
        String ehlo = properties.ehloName() != null
                ? properties.ehloName()
                : todoke.publicUrl().getHost();
        SmtpProbe smtp = new SmtpProbe(
                ehlo,
                properties.connectTimeout(),
                properties.readTimeout(),
                trust.permissiveContext().getSocketFactory(),
                new CertificateChecks(trust.trustManager()));
        DomainProbe probe = new DomainProbe(
                dns,
                new MxLookup(dns, properties.mxOverrides(), properties.port()),
                smtp,
                mtaSts,
                executor,
                clock,
                properties.maxMxHosts(),
                properties.checkTimeout(),
                properties.mtaStsTimeout());
        return new CachingTlsChecker(
                domain -> counted(probe.run(domain), registry),
                executor,
                clock,
                properties.cacheTtl(),
                properties.failureTtl(),
                properties.cacheSize(),
                shared);
    }

    /** Where reports are shared between replicas: table {@code tls_verdict} (ADR 0120). */
    @Bean
    TlsVerdictStore tlsVerdictStore(JdbcClient jdbc) {
        return new TlsVerdictStore(jdbc);
    }

    /** The checks that arriving mail starts, on a bounded pool (todoke.tls.background.*). */
    @Bean
    BackgroundTlsChecks backgroundTlsChecks(
            TlsChecker checker, TlsBackgroundProperties properties, MeterRegistry registry) {
        return new BackgroundTlsChecks(checker, properties, registry);
    }

    /**
     * The TLS column of the sender's page and the {@code tls} field of its API: the known verdict (this
     * replica's cache, else the database) in plain words (Japanese / English); never starts a probe, so
     * viewing the page costs nothing and sends nothing.
     */
    @Bean
    TlsSummaries tlsSummaries(TlsChecker checker) {
        return domain -> {
            try {
                return checker.cached(domain)
                        .map(r -> new TlsSummaries.Known(
                                r.verdict().code(), BackgroundTlsChecks.plainWords(r.verdict()), r.checkedAt()));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        };
    }

    /** The gateway's recipient policy with the TLS policy in it (replaces the internal-domains default). */
    @Bean
    @Primary
    RecipientPolicy tlsRecipientPolicy(
            TodokeProperties todoke, TlsPolicy policy, TlsProperties properties, AuditLog audit) {
        return new TlsRecipientPolicy(todoke, policy, properties.policy().budget(), audit);
    }

    /**
     * The trust store's trust manager, a context that verifies with it (MTA-STS over HTTPS), and a
     * context that accepts any certificate (the SMTP probe, which checks the chain on its own).
     */
    record TrustMaterial(X509TrustManager trustManager, SSLContext verifyingContext, SSLContext permissiveContext) {

        static TrustMaterial load(TlsProperties properties, SecureRandom random) {
            try {
                KeyStore store = null;
                if (properties.trustStore() != null) {
                    char[] password = properties.trustStorePassword() == null
                            ? new char[0]
                            : properties.trustStorePassword().toCharArray();
                    store = KeyStore.getInstance("PKCS12");
                    try (InputStream in = Files.newInputStream(properties.trustStore())) {
                        store.load(in, password);
                    }
                }
                TrustManagerFactory factory =
                        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(store);
                X509TrustManager trustManager = null;
                for (TrustManager tm : factory.getTrustManagers()) {
                    if (tm instanceof X509TrustManager x) {
                        trustManager = x;
                    }
                }
                if (trustManager == null) {
                    throw new IllegalStateException("no X.509 trust manager available");
                }
                SSLContext verifying = SSLContext.getInstance("TLS");
                verifying.init(null, new TrustManager[] {trustManager}, random);
                SSLContext permissive = SSLContext.getInstance("TLS");
                permissive.init(null, new TrustManager[] {new TrustAll()}, random);
                return new TrustMaterial(trustManager, verifying, permissive);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException(
                        "todoke.tls.trust-store cannot be read (" + properties.trustStore() + "): " + e.getMessage(),
                        e);
            }
        }
    }

    /** Accepts every certificate: only for the probe's handshake, after which the chain is checked apart. */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // the probe is a client only
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // the probe is a client only
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // the probe is a client only
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // checked apart by CertificateChecks
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // checked apart by CertificateChecks
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // checked apart by CertificateChecks
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** Counts each finished probe (not cache hits) in {@code todoke.tls.verdicts} by {@code verdict}. */
    private static TlsReport counted(TlsReport report, MeterRegistry registry) {
        Counter.builder("todoke.tls.verdicts")
                .description("TLS checks of recipient domains by verdict (probes, not cache hits)")
                .tag("verdict", report.verdict().code())
                .register(registry)
                .increment();
        return report;
    }
}
