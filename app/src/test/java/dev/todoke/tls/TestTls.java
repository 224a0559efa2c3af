package dev.todoke.tls;

import dev.todoke.TodokeProperties;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Builds the TLS check as the application wires it, from test settings. */
final class TestTls {

    private TestTls() {}

    /** Settings with short timeouts; every field can be changed before {@link #build()}. */
    static final class Props {
        String resolver;
        Map<String, String> overrides = new LinkedHashMap<>();
        int port = 25;
        int maxMxHosts = 2;
        Duration dnsTimeout = Duration.ofSeconds(2);
        Duration connectTimeout = Duration.ofSeconds(2);
        Duration readTimeout = Duration.ofSeconds(2);
        Duration checkTimeout = Duration.ofSeconds(10);
        Path trustStore;
        String trustStorePassword = TestPki.STORE_PASSWORD;
        Duration cacheTtl = Duration.ofHours(6);
        Duration failureTtl = Duration.ofMinutes(10);
        PolicyAction defaultAction = PolicyAction.LINK;
        List<TlsProperties.Rule> rules = new ArrayList<>();

        Props override(String domain, String hostPort) {
            overrides.put(domain, hostPort);
            return this;
        }

        TlsProperties build() {
            return new TlsProperties(
                    resolver,
                    dnsTimeout,
                    overrides,
                    port,
                    maxMxHosts,
                    connectTimeout,
                    readTimeout,
                    checkTimeout,
                    "probe.todoke.test",
                    trustStore,
                    trustStorePassword,
                    Duration.ofSeconds(2),
                    cacheTtl,
                    failureTtl,
                    1000,
                    new TlsProperties.Policy(defaultAction, rules, Duration.ofSeconds(3)));
        }
    }

    static CachingTlsChecker checker(TlsProperties properties, MtaStsPolicyFetcher fetcher, Clock clock) {
        TodokeProperties todoke =
                new TodokeProperties(URI.create("https://files.todoke.test"), Path.of("unused"), List.of());
        TlsConfiguration.TrustMaterial trust = TlsConfiguration.TrustMaterial.load(properties, new SecureRandom());
        return new TlsConfiguration()
                .tlsChecker(
                        properties,
                        todoke,
                        trust,
                        fetcher,
                        clock,
                        new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
                        SharedReports.NONE);
    }

    /** MTA-STS policies served from recorded texts; a domain without one answers like HTTP 404. */
    static final class RecordedPolicies implements MtaStsPolicyFetcher {
        private final Map<String, String> texts = new ConcurrentHashMap<>();

        RecordedPolicies serve(String domain, String recordedFile) {
            texts.put(domain, recorded(recordedFile));
            return this;
        }

        RecordedPolicies serveText(String domain, String text) {
            texts.put(domain, text);
            return this;
        }

        @Override
        public String fetch(String domain, Duration timeout) throws IOException {
            String text = texts.get(domain);
            if (text == null) {
                throw new IOException("MTA-STS policy fetch answered HTTP 404");
            }
            return text;
        }
    }

    /** A recorded MTA-STS policy text from the test resources. */
    static String recorded(String file) {
        try (InputStream in = TestTls.class.getResourceAsStream("mta-sts/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no recorded policy " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
