package dev.todoke.gateway;

import static dev.todoke.gateway.StepFixture.EXTERNAL;
import static dev.todoke.gateway.StepFixture.EXTERNAL_2;
import static dev.todoke.gateway.StepFixture.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.gateway.RecipientPolicy.Decision;
import dev.todoke.gateway.RecipientPolicy.Outcome;
import dev.todoke.link.LinkProperties;
import dev.todoke.link.LinkTokens;
import dev.todoke.storage.BlobIntegrityException;
import dev.todoke.storage.ZeroKnowledgeFormat;
import dev.todoke.transfer.StoredFile;
import dev.todoke.transfer.Transfers;
import dev.todoke.zk.ZeroKnowledgeKeys;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ZeroKnowledgeStoreStepTest extends StepTestBase {

    private static final byte[] PDF = TestMails.randomBytes(150_000, 5);

    @Test
    void applyWhenModeIsZeroKnowledgeThenBlobsAreCiphertextOnlyTheFragmentOpens() throws Exception {
        MailTransaction mail = fixture.parsed(mail(), EXTERNAL, INTERNAL, EXTERNAL_2);

        step(LinkProperties.Mode.ZERO_KNOWLEDGE).apply(mail);

        StoredFile file = mail.recorded().files().get(0);
        assertThat(file.size()).as("the plaintext's size").isEqualTo(PDF.length);
        assertThat(file.sha256()).isEqualTo(sha256(PDF));
        byte[] ciphertext;
        try (InputStream in = fixture.blobs.open(file.blobKey())) {
            ciphertext = in.readAllBytes();
        }
        assertThat(new String(ciphertext, 0, 4)).isEqualTo("TDKZ");
        assertThat(keys().isZeroKnowledge(mail.recorded().messageId())).isTrue();
        assertThat(mail.recorded().linkTokens()).containsOnlyKeys(EXTERNAL, EXTERNAL_2);
        for (String recipient : new String[] {EXTERNAL, EXTERNAL_2}) {
            String link = mail.recorded().linkTokens().get(recipient);
            assertThat(link).matches("[A-Za-z0-9_-]{22,}#k=[A-Za-z0-9_-]{43}");
            String token = link.substring(0, link.indexOf('#'));
            byte[] secret = Base64.getUrlDecoder().decode(link.substring(link.indexOf("#k=") + 3));
            Transfers.Link row = fixture.transfers
                    .findLink(LinkTokens.hash(token))
                    .orElseThrow()
                    .link();
            byte[] wrapped = keys().wrappedKey(row.id()).orElseThrow();
            byte[] dataKey = ZeroKnowledgeFormat.unwrap(wrapped, secret);
            assertThat(ZeroKnowledgeFormat.decrypt(new ByteArrayInputStream(ciphertext), dataKey)
                            .readAllBytes())
                    .isEqualTo(PDF);
        }
        assertThat(fixture.count("zk_link_key")).isEqualTo(2);
        assertThat(fixture.jdbc
                        .sql("select count(*) from zk_link_key where wrapped_key like ?")
                        .param("%" + mail.recorded().linkTokens().get(EXTERNAL).substring(0, 10) + "%")
                        .query(Integer.class)
                        .single())
                .isZero();
    }

    @Test
    void applyWhenOnePolicyOutcomeAsksForZeroKnowledgeThenWholeMessageIsStoredInTheMode() throws Exception {
        MailTransaction mail = fixture.parsed(mail(), EXTERNAL, EXTERNAL_2);
        mail.decide(EXTERNAL_2, new Outcome(Decision.LINK, "stored policy: default zero-knowledge", "", true));

        step(LinkProperties.Mode.STANDARD).apply(mail);

        assertThat(keys().isZeroKnowledge(mail.recorded().messageId())).isTrue();
        assertThat(mail.recorded().linkTokens().values()).allMatch(l -> l.contains("#k="));
    }

    @Test
    void applyWhenStandardModeAndNoRuleThenNoKeysAndPlainLinks() throws Exception {
        MailTransaction mail = fixture.parsed(mail(), EXTERNAL);

        step(LinkProperties.Mode.STANDARD).apply(mail);

        assertThat(keys().isZeroKnowledge(mail.recorded().messageId())).isFalse();
        assertThat(mail.recorded().linkTokens().get(EXTERNAL)).doesNotContain("#");
        try (InputStream in = fixture.blobs.open(mail.recorded().files().get(0).blobKey())) {
            assertThat(in.readAllBytes()).isEqualTo(PDF);
        }
    }

    @Test
    void unwrapWhenAnotherLinksSecretThenFails() throws Exception {
        MailTransaction mail = fixture.parsed(mail(), EXTERNAL, EXTERNAL_2);
        step(LinkProperties.Mode.ZERO_KNOWLEDGE).apply(mail);
        String first = mail.recorded().linkTokens().get(EXTERNAL);
        String second = mail.recorded().linkTokens().get(EXTERNAL_2);
        UUID firstLink = fixture.transfers
                .findLink(LinkTokens.hash(first.substring(0, first.indexOf('#'))))
                .orElseThrow()
                .link()
                .id();
        byte[] otherSecret = Base64.getUrlDecoder().decode(second.substring(second.indexOf("#k=") + 3));

        assertThatThrownBy(() ->
                        ZeroKnowledgeFormat.unwrap(keys().wrappedKey(firstLink).orElseThrow(), otherSecret))
                .isInstanceOf(BlobIntegrityException.class);
    }

    private StoreStep step(LinkProperties.Mode mode) {
        return new StoreStep(
                new AttachmentStore(fixture.blobs),
                fixture.transfers,
                new LinkTokens(new SecureRandom()),
                fixture.links,
                fixture.copyRetry(),
                StepFixture.CLOCK,
                new ZeroKnowledgeLinks(keys(), new SecureRandom(), mode));
    }

    private ZeroKnowledgeKeys keys() {
        return new ZeroKnowledgeKeys(fixture.jdbc);
    }

    private static byte[] mail() throws Exception {
        return TestMails.mail().to(EXTERNAL).attach("board.pdf", PDF).build();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
