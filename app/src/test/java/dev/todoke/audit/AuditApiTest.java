package dev.todoke.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/v1/admin/audit}, {@code /api/v1/admin/audit.csv} and {@code /api/v1/admin/audit/verify}
 * on the running application (H2), with HTTP Basic as the local admin account.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuditApiTest {

    static final String PASSWORD = "audit test password";
    static final Path DIR = tempDir();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("todoke.data-dir", () -> DIR.resolve("data").toString());
        registry.add("todoke.smtp.port", () -> "0");
        registry.add("todoke.storage.warm-up", () -> "0");
        registry.add("todoke.admin.username", () -> "admin");
        registry.add("todoke.admin.password", () -> PASSWORD);
    }

    @LocalServerPort
    int port;

    @Autowired
    AuditLog audit;

    @Autowired
    JdbcClient jdbc;

    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();
    final UUID transfer = UUID.randomUUID();

    @BeforeEach
    void events() {
        audit.record(
                AuditLog.sender("taro@corp.example"),
                "link-revoked",
                transfer,
                null,
                "h@p.example",
                "::1",
                "by sender");
        audit.record(AuditLog.recipient("h@p.example"), "link-viewed", transfer, null, "h@p.example", "::1", null);
        audit.record(
                AuditLog.admin("alice"), "note", transfer, null, null, null, "a, \"quoted\"\r\nsecond line ; =1+1 日本語");
    }

    HttpResponse<String> get(String path, boolean authenticated) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (authenticated) {
            request.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyEndpointWhenNoCredentialsThen401() {
        for (String path : List.of("/api/v1/admin/audit", "/api/v1/admin/audit.csv", "/api/v1/admin/audit/verify")) {
            assertThat(get(path, false).statusCode()).as(path).isEqualTo(401);
        }
    }

    @Test
    void listWhenFilteredByTransferThenItsRowsNewestFirstWithTotalAndEveryField() {
        HttpResponse<String> response = get("/api/v1/admin/audit?transfer=" + transfer, true);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control"))
                .hasValueSatisfying(v -> assertThat(v).contains("no-store"));
        JsonNode root = json.readTree(response.body());
        assertThat(root.get("total").asLong()).isEqualTo(3);
        JsonNode items = root.get("items");
        assertThat(items.size()).isEqualTo(3);
        JsonNode revoked = items.get(2);
        assertThat(Set.copyOf(revoked.propertyNames()))
                .isEqualTo(Set.of(
                        "id", "at", "actor", "action", "transfer", "linkId", "address", "clientIp", "detail", "chain"));
        assertThat(revoked.get("actor").asString()).isEqualTo("sender:taro@corp.example");
        assertThat(revoked.get("action").asString()).isEqualTo("link-revoked");
        assertThat(revoked.get("transfer").asString()).isEqualTo(transfer.toString());
        assertThat(revoked.get("linkId").isNull()).isTrue();
        assertThat(revoked.get("chain").asString()).matches("[0-9a-f]{64}");
        assertThat(revoked.get("at").asString()).endsWith("Z");
        assertThat(items.get(0).get("id").asLong())
                .isGreaterThan(items.get(1).get("id").asLong());
    }

    @Test
    void listWhenActorActionPagingAndTimeThenFiltered() {
        String actor = URLEncoder.encode("recipient:h@p.example", StandardCharsets.UTF_8);
        JsonNode byActor = json.readTree(get("/api/v1/admin/audit?transfer=" + transfer + "&actor=" + actor, true)
                .body());
        JsonNode byAction = json.readTree(get("/api/v1/admin/audit?transfer=" + transfer + "&action=note", true)
                .body());
        JsonNode secondPage = json.readTree(get("/api/v1/admin/audit?transfer=" + transfer + "&page=1&size=2", true)
                .body());
        JsonNode future = json.readTree(
                get("/api/v1/admin/audit?from=2999-01-01T00:00:00Z", true).body());
        JsonNode past = json.readTree(
                get("/api/v1/admin/audit?to=2000-01-01T00:00:00Z", true).body());

        assertThat(byActor.get("total").asLong()).isEqualTo(1);
        assertThat(byActor.get("items").get(0).get("action").asString()).isEqualTo("link-viewed");
        assertThat(byAction.get("items").get(0).get("actor").asString()).isEqualTo("admin:alice");
        assertThat(secondPage.get("total").asLong()).isEqualTo(3);
        assertThat(secondPage.get("items").size()).isEqualTo(1);
        assertThat(secondPage.get("items").get(0).get("action").asString()).isEqualTo("link-revoked");
        assertThat(future.get("total").asLong()).isZero();
        assertThat(past.get("items").size()).isZero();
    }

    @Test
    void listWhenInvalidParametersThen400WithJsonError() {
        for (String query : List.of("size=501", "size=0", "page=-1", "from=yesterday", "to=2026-13-01", "transfer=x")) {
            HttpResponse<String> response = get("/api/v1/admin/audit?" + query, true);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(json.readTree(response.body()).get("error").asString())
                    .as(query)
                    .isNotBlank();
        }
        assertThat(get("/api/v1/admin/audit?size=500", true).statusCode()).isEqualTo(200);
    }

    @Test
    void csvWhenFilteredThenHeaderQuotedRowsWithChainValuesAndTheExportIsAudited() {
        HttpResponse<String> response = get("/api/v1/admin/audit.csv?transfer=" + transfer, true);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
        assertThat(response.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"audit.csv\"");
        String body = response.body();
        assertThat(body).startsWith("id,at,actor,action,transfer,linkId,address,clientIp,detail,chain\r\n");
        List<String> chains = jdbc.sql(
                        "select chain from audit_event where message_id = ? and kind <> 'audit-exported' order by id")
                .param(transfer)
                .query(String.class)
                .list();
        assertThat(chains).hasSize(3).allSatisfy(c -> assertThat(body).contains("," + c + "\r\n"));
        assertThat(body)
                .contains(",sender:taro@corp.example,link-revoked," + transfer + ",,h@p.example,::1,by sender,");
        assertThat(body)
                .contains(",admin:alice,note," + transfer + ",,,,\"a, \"\"quoted\"\"\r\nsecond line ; =1+1 日本語\",");
        assertThat(body.lines().filter(l -> l.contains("link-"))).hasSize(2);
        assertThat(jdbc.sql("select actor from audit_event where kind = 'audit-exported' and message_id = ?")
                        .param(transfer)
                        .query(String.class)
                        .list())
                .containsExactly("admin:admin");
    }

    @Test
    void verifyWhenIntactThenOkAndWhenARowIsChangedThenItsIdUntilRestored() {
        assertThat(json.readTree(get("/api/v1/admin/audit/verify", true).body()))
                .isEqualTo(json.readTree("{\"ok\":true}"));
        long id = jdbc.sql("select id from audit_event where message_id = ? and kind = 'link-viewed'")
                .param(transfer)
                .query(Long.class)
                .single();

        jdbc.sql("update audit_event set address = 'someone@else.example' where id = ?")
                .param(id)
                .update();
        HttpResponse<String> broken = get("/api/v1/admin/audit/verify", true);
        jdbc.sql("update audit_event set address = 'h@p.example' where id = ?")
                .param(id)
                .update();

        assertThat(broken.statusCode()).isEqualTo(200);
        assertThat(json.readTree(broken.body()))
                .isEqualTo(json.readTree("{\"ok\":false,\"firstBrokenId\":" + id + "}"));
        assertThat(json.readTree(get("/api/v1/admin/audit/verify", true).body()))
                .isEqualTo(json.readTree("{\"ok\":true}"));
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("todoke-audit-api");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
