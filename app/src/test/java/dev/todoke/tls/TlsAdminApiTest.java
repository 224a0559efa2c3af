package dev.todoke.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/v1/admin/tls/{domain}} on the running application, against real SMTP servers and a stub
 * DNS server on 127.0.0.1.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TlsAdminApiTest {

    static final String PASSWORD = "correct horse battery staple";
    static final Path DIR;
    static final TestPki.Issued CA;
    static final TestPki.Issued LEAF;
    static final Path TRUST_STORE;
    static final TestSmtpServer GOOD;
    static final TestSmtpServer VANISHING;
    static final StubDnsServer DNS;

    static {
        try {
            DIR = Files.createTempDirectory("tls-admin-test");
            CA = TestPki.ca("Admin Test CA");
            LEAF = TestPki.leaf(CA, "localhost", "localhost");
            TRUST_STORE = TestPki.writeTrustStore(DIR, CA.cert());
            GOOD = TestSmtpServer.starttls(TestPki.serverContext(LEAF));
            VANISHING = TestSmtpServer.starttls(TestPki.serverContext(LEAF));
            DNS = new StubDnsServer();
            String spki = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(LEAF.cert().getPublicKey().getEncoded()));
            DNS.add("_25._tcp.localhost TLSA 3 1 1 " + spki).authenticated("_25._tcp.localhost");
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("todoke.data-dir", () -> DIR.resolve("data").toString());
        registry.add("todoke.smtp.port", () -> "0");
        registry.add("todoke.admin.username", () -> "admin");
        registry.add("todoke.admin.password", () -> PASSWORD);
        registry.add("todoke.tls.resolver", DNS::address);
        registry.add("todoke.tls.trust-store", TRUST_STORE::toString);
        registry.add("todoke.tls.trust-store-password", () -> TestPki.STORE_PASSWORD);
        registry.add("todoke.tls.mx-overrides[good.test]", () -> "localhost:" + GOOD.port());
        registry.add("todoke.tls.mx-overrides[vanishing.test]", () -> "localhost:" + VANISHING.port());
    }

    @AfterAll
    static void stop() throws Exception {
        GOOD.close();
        VANISHING.close();
        DNS.close();
    }

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();

    private HttpResponse<String> get(String path, String user, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (user != null) {
            String credentials =
                    Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            request.header("Authorization", "Basic " + credentials);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void getWhenNoCredentialsThen401WithJsonErrorAndChallenge() throws Exception {
        HttpResponse<String> response = get("/api/v1/admin/tls/good.test", null, null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm="));
        assertThat(json.readTree(response.body()).get("error").asString()).contains("Authentication required");
        assertThat(GOOD.connections.get()).as("no probe without credentials").isZero();
    }

    @Test
    void getWhenWrongPasswordOrUserThen401() throws Exception {
        assertThat(get("/api/v1/admin/tls/good.test", "admin", "wrong").statusCode())
                .isEqualTo(401);
        assertThat(get("/api/v1/admin/tls/good.test", "root", PASSWORD).statusCode())
                .isEqualTo(401);
        assertThat(get("/api/v1/admin/tls/good.test", "admin", PASSWORD + "x").statusCode())
                .isEqualTo(401);
    }

    @Test
    void getWhenAuthenticatedThen200WithExactlyTheReportFields() throws Exception {
        HttpResponse<String> response = get("/api/v1/admin/tls/good.test", "admin", PASSWORD);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode root = json.readTree(response.body());
        assertThat(names(root)).isEqualTo(Set.of("domain", "verdict", "checkedAt", "mx", "mtaSts", "dane"));
        assertThat(root.get("domain").asString()).isEqualTo("good.test");
        assertThat(root.get("verdict").asString()).isEqualTo("tls-verified");
        assertThat(root.get("checkedAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(root.get("mx").size()).isEqualTo(1);
        JsonNode mx = root.get("mx").get(0);
        assertThat(names(mx))
                .isEqualTo(Set.of(
                        "host",
                        "preference",
                        "starttls",
                        "tlsVersion",
                        "cipher",
                        "certificateValid",
                        "nameMatches",
                        "error"));
        assertThat(mx.get("host").asString()).isEqualTo("localhost");
        assertThat(mx.get("preference").asInt()).isZero();
        assertThat(mx.get("starttls").asBoolean()).isTrue();
        assertThat(mx.get("tlsVersion").asString()).isEqualTo("TLSv1.3");
        assertThat(mx.get("cipher").asString()).startsWith("TLS_");
        assertThat(mx.get("certificateValid").asBoolean()).isTrue();
        assertThat(mx.get("nameMatches").asBoolean()).isTrue();
        assertThat(mx.get("error").isNull()).isTrue();
        assertThat(names(root.get("mtaSts"))).isEqualTo(Set.of("mode", "mxMatches"));
        assertThat(root.get("mtaSts").get("mode").isNull()).isTrue();
        assertThat(names(root.get("dane"))).isEqualTo(Set.of("tlsa", "dnssecValidated"));
        assertThat(root.get("dane").get("tlsa").asBoolean()).isTrue();
        assertThat(root.get("dane").get("dnssecValidated").asBoolean()).isTrue();
    }

    @Test
    void getWhenCachedThenSameReportUntilRefreshProbesAgain() throws Exception {
        JsonNode first = json.readTree(
                get("/api/v1/admin/tls/vanishing.test", "admin", PASSWORD).body());
        assertThat(first.get("verdict").asString()).isEqualTo("tls-verified");
        int connections = VANISHING.connections.get();
        VANISHING.close();

        JsonNode cached = json.readTree(
                get("/api/v1/admin/tls/Vanishing.Test", "admin", PASSWORD).body());
        HttpResponse<String> refreshed = get("/api/v1/admin/tls/vanishing.test?refresh=true", "admin", PASSWORD);

        assertThat(cached).isEqualTo(first);
        assertThat(VANISHING.connections.get()).isEqualTo(connections);
        assertThat(refreshed.statusCode()).isEqualTo(200);
        JsonNode fresh = json.readTree(refreshed.body());
        assertThat(fresh.get("verdict").asString()).isEqualTo("unreachable");
        assertThat(fresh.get("mx").get(0).get("error").asString()).contains("failed");
        assertThat(json.readTree(get("/api/v1/admin/tls/vanishing.test", "admin", PASSWORD)
                        .body()))
                .isEqualTo(fresh);
    }

    @Test
    void getWhenInvalidDomainThen400WithJsonError() throws Exception {
        HttpResponse<String> response = get("/api/v1/admin/tls/not_a_domain!", "admin", PASSWORD);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).get("error").asString()).contains("not a valid domain name");
    }

    @Test
    void getWhenRefreshIsNotABooleanThen400WithJsonError() throws Exception {
        HttpResponse<String> response = get("/api/v1/admin/tls/good.test?refresh=maybe", "admin", PASSWORD);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).get("error").asString()).contains("refresh");
    }

    private static Set<String> names(JsonNode node) {
        return Set.copyOf(node.propertyNames());
    }
}
