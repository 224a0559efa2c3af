package dev.todoke.gateway;

import static dev.todoke.gateway.StepFixture.EXTERNAL;
import static dev.todoke.gateway.StepFixture.INTERNAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.transfer.MessageState;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;

class MarkRelayedStepTest extends StepTestBase {

    @Test
    void applyWhenRecordedThenRelayedAndAuditedAsLinked() throws Exception {
        byte[] raw =
                TestMails.mail().to(EXTERNAL).attach("a.pdf", new byte[] {1}).build();
        MailTransaction mail = fixture.stored(raw, EXTERNAL, INTERNAL);

        new MarkRelayedStep(fixture.transfers, fixture.audit, fixture.copyRetry(), fixture.transactions).apply(mail);

        assertThat(fixture.transfers.state(mail.recorded().messageId())).contains(MessageState.RELAYED);
        Map<String, Object> event = fixture.jdbc
                .sql("select kind, message_id, address, client_ip, detail from audit_event")
                .query()
                .singleRow();
        assertThat(event)
                .containsEntry("kind", "mail-linked")
                .containsEntry("message_id", mail.recorded().messageId())
                .containsEntry("address", StepFixture.SENDER)
                .containsEntry("client_ip", "192.0.2.1")
                .containsEntry("detail", "1 file(s) linked for 1 recipient(s), 1 unchanged");
    }

    @Test
    void applyWhenAuditFailsThenMessageStaysPending() throws Exception {
        byte[] raw =
                TestMails.mail().to(EXTERNAL).attach("a.pdf", new byte[] {1}).build();
        MailTransaction mail = fixture.stored(raw, EXTERNAL);
        fixture.jdbc.sql("alter table audit_event rename to audit_event_gone").update();
        MarkRelayedStep step =
                new MarkRelayedStep(fixture.transfers, fixture.audit, fixture.copyRetry(), fixture.transactions);

        assertThatThrownBy(() -> step.apply(mail)).isInstanceOf(DataAccessException.class);

        assertThat(fixture.transfers.state(mail.recorded().messageId())).contains(MessageState.PENDING);
    }
}
