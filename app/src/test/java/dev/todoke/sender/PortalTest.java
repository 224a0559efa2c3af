package dev.todoke.sender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.console.ConsoleAppTest;
import dev.todoke.web.TestRows;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sender portal {@code /my} after a real OIDC sign-in: my transfers only, revoke and expiry with CSRF. */
class PortalTest extends ConsoleAppTest {

    @Test
    void listWhenSignedInWithVerifiedEmailThenOnlyMyTransfersWithRecipientsAndDownloadState() throws Exception {
        TestRows.Created mine = rows().from("Portal.Owner@Corp.Example", "Owner <portal.owner@corp.example>")
                .insert();
        TestRows.Created theirs = rows().from("someone-else@corp.example", "Else <someone-else@corp.example>")
                .insert();

        SignedIn owner = signIn(
                "owner-1",
                Map.of("email", "portal.owner@corp.example", "email_verified", true, "groups", List.of("staff")));

        assertThat(owner.landed.statusCode()).isEqualTo(200);
        assertThat(owner.landed.uri().getPath()).isEqualTo("/my");
        assertThat(owner.landed.body())
                .contains("id=\"email\">portal.owner@corp.example<", "hanako@example.com")
                .contains("href=\"/my/" + mine.messageId() + "\"")
                .doesNotContain(theirs.messageId().toString());
        assertThat(owner.get("/my/" + theirs.messageId()).statusCode()).isEqualTo(404);
    }

    @Test
    void transferWhenRevokedAndExpiryChangedThenStoredLikeOnTheSenderPage() throws Exception {
        TestRows.Created mine = rows().from("portal.actions@corp.example", "A <portal.actions@corp.example>")
                .recipient("second@example.net")
                .insert();
        SignedIn owner = signIn("owner-2", Map.of("email", "portal.actions@corp.example", "email_verified", true));
        String path = "/my/" + mine.messageId();
        var page = owner.get(path + "?lang=en");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("second@example.net", "見積書.pdf");

        var revoked = owner.post(path + "/revoke", page.body(), "recipient=second%40example.net");
        assertThat(revoked.statusCode()).isEqualTo(303);
        assertThat(jdbc.sql("select state from link where id = ?")
                        .param(mine.link("second@example.net").id())
                        .query(String.class)
                        .single())
                .isEqualTo("revoked");

        var moved = owner.post(path + "/expiry", owner.get(path).body(), "expiresAt=2026-11-25T18%3A00");
        assertThat(moved.statusCode()).isEqualTo(303);
        assertThat(jdbc.sql("select expires_at from message where id = ?")
                        .param(mine.messageId())
                        .query(java.time.OffsetDateTime.class)
                        .single()
                        .toInstant())
                .isEqualTo(java.time.Instant.parse("2026-11-25T09:00:00Z"));

        var withoutCsrf = owner.postWithoutCsrf(path + "/revoke");
        assertThat(withoutCsrf.statusCode()).isEqualTo(403);
    }

    @Test
    void listWhenEmailNotVerifiedThenNoTransfersAndSaysWhy() throws Exception {
        rows().from("unverified@corp.example", "U <unverified@corp.example>").insert();

        SignedIn user = signIn("owner-3", Map.of("email", "unverified@corp.example", "email_verified", false));

        assertThat(user.landed.body()).contains("no verified e-mail").doesNotContain("unverified@corp.example");
    }
}
