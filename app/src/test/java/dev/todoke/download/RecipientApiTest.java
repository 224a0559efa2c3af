package dev.todoke.download;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.web.TestRows;
import dev.todoke.web.WebAppTest;
import dev.todoke.zk.ZeroKnowledgeKeys;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The recipient's JSON API contract (docs/api.md), over real HTTP against the running application. */
class RecipientApiTest extends WebAppTest {

    private static final Pattern SIX_DIGITS = Pattern.compile("(?<!\\d)\\d{6}(?!\\d)");

    @Test
    void linkWhenActiveThenSenderExpiryFileCountAndMaskedRecipient() throws Exception {
        TestRows.Created created = rows().insert();

        HttpResponse<String> response = get("/api/v1/d/" + created.firstLink().token());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode body = parse(response);
        assertThat(body.get("sender").asString()).isEqualTo("taro@corp.example");
        assertThat(body.get("recipient").asString()).isEqualTo("h***@example.com");
        assertThat(body.get("fileCount").asInt()).isEqualTo(2);
        assertThat(body.get("expiresAt").asString())
                .isEqualTo(clock.instant().plus(Duration.ofDays(7)).toString());
        assertThat(response.body()).doesNotContain("見積書", "notes.txt");
    }

    @Test
    void linkWhenUnknownThen404() throws Exception {
        HttpResponse<String> response = get("/api/v1/d/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(parse(response).get("error").asString()).isEqualTo("not-found");
    }

    @Test
    void linkWhenRevokedThen410Revoked() throws Exception {
        TestRows.Created created = rows().insert();
        postJson("/api/v1/s/" + created.manageToken() + "/revoke", "{}");

        HttpResponse<String> response = get("/api/v1/d/" + created.firstLink().token());

        assertThat(response.statusCode()).isEqualTo(410);
        assertThat(response.body()).isEqualTo("{\"error\":\"revoked\"}");
    }

    @Test
    void linkWhenExpiredThen410Expired() throws Exception {
        TestRows.Created created =
                rows().createdAt(clock.instant().minus(Duration.ofDays(8))).insert();

        HttpResponse<String> response = get("/api/v1/d/" + created.firstLink().token());

        assertThat(response.statusCode()).isEqualTo(410);
        assertThat(response.body()).isEqualTo("{\"error\":\"expired\"}");
    }

    @Test
    void codeWhenPostedThen202AndOneMailWithTheOnlySixDigitNumberAndNoFileName() throws Exception {
        TestRows.Created created = rows().recipient("code-mail@example.com").insert();
        TestRows.Link link = created.link("code-mail@example.com");

        HttpResponse<String> response = postJson("/api/v1/d/" + link.token() + "/code", "");

        assertThat(response.statusCode()).isEqualTo(202);
        var mails = outbox().to("code-mail@example.com");
        assertThat(mails).hasSize(1);
        var mail = mails.get(0);
        assertThat(mail.kind()).isEqualTo("otp");
        assertThat(SIX_DIGITS.matcher(mail.text()).results().count()).isEqualTo(1);
        assertThat(mail.raw()).doesNotContain("notes.txt").doesNotContain(link.token());
        assertThat(mail.text() + mail.subject() + mail.html()).doesNotContain("見積書", "notes");
    }

    @Test
    void codeWhenSixthInAnHourThen429AndAfterAnHourAgain202() throws Exception {
        TestRows.Link link = rows().recipient("rate@example.com").insert().link("rate@example.com");
        for (int i = 0; i < 5; i++) {
            assertThat(postJson("/api/v1/d/" + link.token() + "/code", "").statusCode())
                    .isEqualTo(202);
        }

        HttpResponse<String> sixth = postJson("/api/v1/d/" + link.token() + "/code", "");

        assertThat(sixth.statusCode()).isEqualTo(429);
        assertThat(parse(sixth).get("error").asString()).isEqualTo("too-many-codes");
        assertThat(outbox().to("rate@example.com")).hasSize(5);
        clock.advance(Duration.ofMinutes(61));
        assertThat(postJson("/api/v1/d/" + link.token() + "/code", "").statusCode())
                .isEqualTo(202);
    }

    @Test
    void verifyWhenWrongFourTimesThen401WithAttemptsLeftThenLockedEvenForTheRightCode() throws Exception {
        TestRows.Link link = rows().recipient("wrong@example.com").insert().link("wrong@example.com");
        String code = requestCode(link.token(), "wrong@example.com");
        String wrong = code.equals("000000") ? "111111" : "000000";

        for (int left = 4; left >= 1; left--) {
            HttpResponse<String> response = verify(link, wrong);
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body()).isEqualTo("{\"error\":\"wrong-code\",\"attemptsLeft\":" + left + "}");
        }
        HttpResponse<String> fifth = verify(link, wrong);
        HttpResponse<String> right = verify(link, code);

        assertThat(fifth.statusCode()).isEqualTo(429);
        assertThat(fifth.body()).isEqualTo("{\"error\":\"locked\"}");
        assertThat(right.statusCode()).isEqualTo(429);
        assertThat(right.body()).isEqualTo("{\"error\":\"locked\"}");
        assertThat(right.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("todoke_session"));

        assertThat(verify(link, requestCode(link.token(), "wrong@example.com")).statusCode())
                .isEqualTo(200);
    }

    @Test
    void auditWhenLockedOutThenOneCodeLockedRowByTheRecipientAndEveryTryAfterIt() throws Exception {
        TestRows.Link link = rows().recipient("lockout@example.com").insert().link("lockout@example.com");
        String code = requestCode(link.token(), "lockout@example.com");
        String wrong = code.equals("000000") ? "111111" : "000000";
        for (int i = 0; i < 5; i++) {
            verify(link, wrong);
        }
        verify(link, code);

        var events = jdbc.sql("select kind, actor, detail from audit_event where link_id = ? and kind like 'code-%'"
                        + " order by id")
                .param(link.id())
                .query((rs, n) -> rs.getString("kind") + " " + rs.getString("actor") + " " + rs.getString("detail"))
                .list();

        assertThat(events)
                .containsExactly(
                        "code-sent recipient:lockout@example.com null",
                        "code-failed recipient:lockout@example.com wrong",
                        "code-failed recipient:lockout@example.com wrong",
                        "code-failed recipient:lockout@example.com wrong",
                        "code-failed recipient:lockout@example.com wrong",
                        "code-failed recipient:lockout@example.com locked",
                        "code-locked recipient:lockout@example.com null",
                        "code-failed recipient:lockout@example.com locked");
    }

    @Test
    void verifyWhenRightThen200FilesWithLowercaseSha256AndSessionCookie() throws Exception {
        TestRows.Created created = rows().recipient("right@example.com").insert();
        TestRows.Link link = created.link("right@example.com");
        String code = requestCode(link.token(), "right@example.com");

        HttpResponse<String> response = verify(link, code);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode files = parse(response).get("files");
        assertThat(files).hasSize(2);
        JsonNode first = files.get(0);
        assertThat(first.get("id").asString())
                .isEqualTo(created.files().get(0).id().toString());
        assertThat(first.get("name").asString()).isEqualTo("見積書.pdf");
        assertThat(first.get("size").asLong()).isEqualTo(created.files().get(0).bytes().length);
        assertThat(first.get("sha256").asString())
                .isEqualTo(created.files().get(0).sha256())
                .matches("[0-9a-f]{64}");
        assertThat(first.get("contentType").asString()).isEqualTo("application/pdf");
        String setCookie = setCookieLine(response, "todoke_session");
        assertThat(setCookie).contains("HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=1800");
        assertThat(setCookie).doesNotContain("Secure");
    }

    @Test
    void verifyWhenCodeOlderThanTenMinutesThen401CodeExpired() throws Exception {
        TestRows.Link link = rows().recipient("late@example.com").insert().link("late@example.com");
        String code = requestCode(link.token(), "late@example.com");
        clock.advance(Duration.ofMinutes(10));

        HttpResponse<String> response = verify(link, code);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(parse(response).get("error").asString()).isEqualTo("code-expired");
    }

    @Test
    void fileWhenSessionThenBytesContentLengthAndRfc6266Name() throws Exception {
        TestRows.Created created = rows().insert();
        String session = session(created.firstLink());
        TestRows.File file = created.files().get(0);

        HttpResponse<byte[]> response =
                getBytes("/api/v1/d/" + created.firstLink().token() + "/files/" + file.id(), "Cookie", session);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(file.bytes());
        assertThat(response.headers().firstValue("Content-Length")).contains(String.valueOf(file.bytes().length));
        assertThat(response.headers().firstValue("Accept-Ranges")).contains("bytes");
        assertThat(response.headers().firstValue("Content-Disposition"))
                .contains("attachment; filename=\"___.pdf\"; filename*=UTF-8''%E8%A6%8B%E7%A9%8D%E6%9B%B8.pdf");
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    }

    @Test
    void fileWhenRangeThen206WithThoseBytesAnd416PastTheEnd() throws Exception {
        byte[] bytes = new byte[1000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        TestRows.Created created = TestRows.message(jdbc, store, clock.instant())
                .recipient("range@example.com")
                .file("data.bin", "application/octet-stream", bytes)
                .insert();
        String session = session(created.firstLink());
        String path = "/api/v1/d/" + created.firstLink().token() + "/files/"
                + created.files().get(0).id();

        HttpResponse<byte[]> first = getBytes(path, "Cookie", session, "Range", "bytes=0-9");
        HttpResponse<byte[]> middle = getBytes(path, "Cookie", session, "Range", "bytes=500-599");
        HttpResponse<byte[]> suffix = getBytes(path, "Cookie", session, "Range", "bytes=-100");
        HttpResponse<byte[]> open = getBytes(path, "Cookie", session, "Range", "bytes=990-");
        HttpResponse<byte[]> past = getBytes(path, "Cookie", session, "Range", "bytes=1000-");

        assertThat(first.statusCode()).isEqualTo(206);
        assertThat(first.body()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 0, 10));
        assertThat(first.headers().firstValue("Content-Range")).contains("bytes 0-9/1000");
        assertThat(first.headers().firstValue("Content-Length")).contains("10");
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.body()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 500, 600));
        assertThat(middle.headers().firstValue("Content-Range")).contains("bytes 500-599/1000");
        assertThat(suffix.body()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 900, 1000));
        assertThat(suffix.headers().firstValue("Content-Range")).contains("bytes 900-999/1000");
        assertThat(open.body()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 990, 1000));
        assertThat(past.statusCode()).isEqualTo(416);
        assertThat(past.headers().firstValue("Content-Range")).contains("bytes */1000");
    }

    @Test
    void fileWhenNoSessionThen401() throws Exception {
        TestRows.Created created = rows().insert();

        HttpResponse<String> response = get("/api/v1/d/" + created.firstLink().token() + "/files/"
                + created.files().get(0).id());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(parse(response).get("error").asString()).isEqualTo("no-session");
    }

    @Test
    void fileWhenSessionIsForAnotherLinkThen401() throws Exception {
        TestRows.Created created = rows().recipient("other@example.com").insert();
        String sessionForA = session(created.link("hanako@example.com"));

        HttpResponse<String> response = get(
                "/api/v1/d/" + created.link("other@example.com").token() + "/files/"
                        + created.files().get(0).id(),
                "Cookie",
                sessionForA);

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void fileWhenSessionIsOlderThanThirtyMinutesThen401() throws Exception {
        TestRows.Created created = rows().insert();
        String session = session(created.firstLink());
        clock.advance(Duration.ofMinutes(31));

        HttpResponse<String> response = get(
                "/api/v1/d/" + created.firstLink().token() + "/files/"
                        + created.files().get(0).id(),
                "Cookie",
                session);

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void fileWhenRevokedMidSessionThen410() throws Exception {
        TestRows.Created created = rows().insert();
        String session = session(created.firstLink());
        String path = "/api/v1/d/" + created.firstLink().token() + "/files/"
                + created.files().get(0).id();
        assertThat(get(path, "Cookie", session).statusCode()).isEqualTo(200);

        postJson("/api/v1/s/" + created.manageToken() + "/revoke", "{\"recipient\":\"hanako@example.com\"}");
        HttpResponse<String> after = get(path, "Cookie", session);

        assertThat(after.statusCode()).isEqualTo(410);
        assertThat(after.body()).isEqualTo("{\"error\":\"revoked\"}");
        assertThat(jdbc.sql("select count(*) from web_session where link_id = ?")
                        .param(created.firstLink().id())
                        .query(Long.class)
                        .single())
                .as("the revocation ended the link's sessions")
                .isZero();
        assertThat(get("/api/v1/d/" + created.firstLink().token() + "/zip", "Cookie", session)
                        .statusCode())
                .isEqualTo(410);
    }

    @Test
    void fileWhenExpiredMidSessionThen410Expired() throws Exception {
        TestRows.Created created = rows().lifetime(Duration.ofMinutes(20)).insert();
        String session = session(created.firstLink());
        clock.advance(Duration.ofMinutes(21));

        HttpResponse<String> response = get(
                "/api/v1/d/" + created.firstLink().token() + "/files/"
                        + created.files().get(0).id(),
                "Cookie",
                session);

        assertThat(response.statusCode()).isEqualTo(410);
        assertThat(response.body()).isEqualTo("{\"error\":\"expired\"}");
    }

    @Test
    void zipWhenSessionThenEveryFileWithUtf8NamesAndEqualBytes() throws Exception {
        TestRows.Created created = rows().insert();
        String session = session(created.firstLink());

        HttpResponse<byte[]> response =
                getBytes("/api/v1/d/" + created.firstLink().token() + "/zip", "Cookie", session);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/zip");
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipArchiveInputStream zip = new ZipArchiveInputStream(new ByteArrayInputStream(response.body()))) {
            ZipArchiveEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                assertThat(entry.getGeneralPurposeBit().usesUTF8ForNames()).isTrue();
                entries.put(entry.getName(), zip.readAllBytes());
            }
        }
        assertThat(entries).containsOnlyKeys("見積書.pdf", "notes.txt");
        assertThat(entries.get("見積書.pdf")).isEqualTo(created.files().get(0).bytes());
        assertThat(new String(entries.get("notes.txt"), StandardCharsets.UTF_8)).isEqualTo("hello, world\n");
    }

    @Test
    void fileWhenFirstDownloadThenSenderGetsOneDownloadMail() throws Exception {
        TestRows.Created created = rows().from("notify-me@corp.example", "Notify <notify-me@corp.example>")
                .insert();
        String session = session(created.firstLink());
        String path = "/api/v1/d/" + created.firstLink().token() + "/files/";

        getBytes(path + created.files().get(0).id(), "Cookie", session);
        getBytes(path + created.files().get(1).id(), "Cookie", session);

        var mails = outbox().to("notify-me@corp.example");
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0).kind()).isEqualTo("download");
        assertThat(mails.get(0).text()).contains("hanako@example.com");
    }

    @Test
    void getsWhenRepeatedThenNothingChangesAndNoMailIsSent() throws Exception {
        TestRows.Created created = rows().recipient("scanner@example.com").insert();
        TestRows.Link link = created.link("scanner@example.com");
        String before = state();
        int mailsBefore = outbox().all().size();

        for (String path : new String[] {
            "/d/" + link.token(),
            "/d/" + link.token() + "?sent=1",
            "/api/v1/d/" + link.token(),
            "/api/v1/d/" + link.token() + "/code",
            "/api/v1/d/" + link.token() + "/verify",
            "/d/" + link.token() + "/code",
            "/d/" + link.token() + "/verify",
            "/api/v1/d/" + link.token() + "/files/" + created.files().get(0).id(),
            "/api/v1/d/" + link.token() + "/zip",
            "/d/" + link.token() + "/zip",
            "/api/v1/s/" + created.manageToken() + "/revoke",
            "/api/v1/s/" + created.manageToken() + "/expiry",
        }) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(path).isIn(200, 401, 405);
        }

        assertThat(state()).isEqualTo(before);
        assertThat(outbox().all()).hasSize(mailsBefore);
    }

    @Test
    void auditWhenWholeFlowThenEveryStepWithLinkAddressAndClientIpAndNoSecrets() throws Exception {
        TestRows.Created created = rows().recipient("audit@example.com").insert();
        TestRows.Link link = created.link("audit@example.com");
        get("/api/v1/d/" + link.token());
        String code = requestCode(link.token(), "audit@example.com");
        verify(link, code.equals("000000") ? "000001" : "000000");
        String session = cookie(verify(link, code), "todoke_session");
        getBytes(
                "/api/v1/d/" + link.token() + "/files/" + created.files().get(0).id(), "Cookie", session);
        getBytes("/api/v1/d/" + link.token() + "/zip", "Cookie", session);

        var events = jdbc.sql("select kind, link_id, address, client_ip, detail from audit_event where link_id = ?"
                        + " order by id")
                .param(link.id())
                .query((rs, n) -> rs.getString("kind") + "|" + rs.getString("address") + "|" + rs.getString("client_ip")
                        + "|" + rs.getString("detail"))
                .list();

        assertThat(events)
                .extracting(e -> e.substring(0, e.indexOf('|')))
                .containsExactly(
                        "link-viewed", "code-sent", "code-failed", "code-passed", "file-downloaded", "zip-downloaded");
        assertThat(events).allSatisfy(e -> assertThat(e).contains("|audit@example.com|127.0.0.1|"));
        assertThat(String.join("\n", events)).doesNotContain(link.token(), code);
    }

    private String state() {
        return jdbc.sql("select (select count(*) from otp_code) || '/' || (select count(*) from web_session) || '/'"
                        + " || (select count(*) from download) || '/' || (select count(*) from link where state = 'active')"
                        + " || '/' || (select max(expires_at) from message)")
                .query(String.class)
                .single();
    }

    @Test
    void linkWhenZeroKnowledgeThenModeWrappedKeyCiphertextWithOwnEtagAndZip409() throws Exception {
        TestRows.Created created = rows().insert();
        TestRows.Link link = created.firstLink();
        byte[] wrapped = new byte[60];
        new java.security.SecureRandom().nextBytes(wrapped);
        new ZeroKnowledgeKeys(jdbc).record(created.messageId(), Map.of(link.id(), wrapped));
        String api = "/api/v1/d/" + link.token();

        assertThat(parse(get(api)).get("mode").asString()).isEqualTo("zero-knowledge");
        String session = session(link);
        HttpResponse<String> key = get(api + "/key", "Cookie", session);
        assertThat(key.statusCode()).isEqualTo(200);
        assertThat(java.util.Base64.getUrlDecoder()
                        .decode(parse(key).get("wrappedKey").asString()))
                .isEqualTo(wrapped);
        TestRows.File file = created.files().get(0);
        HttpResponse<byte[]> bytes = getBytes(api + "/files/" + file.id(), "Cookie", session);
        assertThat(bytes.statusCode()).isEqualTo(200);
        assertThat(bytes.headers().firstValue("ETag")).contains("\"zk-" + file.sha256() + "\"");
        assertThat(bytes.headers().firstValue("Content-Type")).contains("application/octet-stream");
        HttpResponse<String> zip = get(api + "/zip", "Cookie", session);
        assertThat(zip.statusCode()).isEqualTo(409);
        assertThat(zip.body()).isEqualTo("{\"error\":\"zero-knowledge\"}");
    }

    @Test
    void keyWhenStandardLinkThen404AndModeStandard() throws Exception {
        TestRows.Link link = rows().insert().firstLink();

        assertThat(parse(get("/api/v1/d/" + link.token())).get("mode").asString())
                .isEqualTo("standard");
        assertThat(get("/api/v1/d/" + link.token() + "/key", "Cookie", session(link))
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void revokeWhenZeroKnowledgeThenWrappedKeyDeletedAndKey410() throws Exception {
        TestRows.Created created = rows().insert();
        TestRows.Link link = created.firstLink();
        ZeroKnowledgeKeys keys = new ZeroKnowledgeKeys(jdbc);
        keys.record(created.messageId(), Map.of(link.id(), new byte[60]));
        String session = session(link);

        postJson("/api/v1/s/" + created.manageToken() + "/revoke", "{}");

        assertThat(keys.wrappedKey(link.id())).isEmpty();
        assertThat(get("/api/v1/d/" + link.token() + "/key", "Cookie", session).statusCode())
                .isEqualTo(410);
    }

    private HttpResponse<String> verify(TestRows.Link link, String code) throws Exception {
        return postJson("/api/v1/d/" + link.token() + "/verify", "{\"code\":\"" + code + "\"}");
    }

    /** Asks for a code, reads it from the outbox, verifies it: the session cookie header value. */
    private String session(TestRows.Link link) throws Exception {
        HttpResponse<String> verified = verify(link, requestCode(link.token(), link.recipient()));
        assertThat(verified.statusCode()).isEqualTo(200);
        return cookie(verified, "todoke_session");
    }
}
