package dev.todoke.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.mail.SystemMailException;
import dev.todoke.relay.RelayException;
import dev.todoke.storage.StorageException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

class GatewayMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GatewayMeters meters = new GatewayMeters(registry);

    @Test
    void refusedWhenRefusalsOfEachKindThenCountedByAFixedReason() {
        meters.refused(new MailRefusal("5.7.0", "no", "encrypted mail refused"));
        meters.refused(new MailRefusal("5.7.0", "no", "signed mail with attachments refused"));
        meters.refused(new MailRefusal("5.6.0", "no", "The message has a line longer than 998 octets"));
        meters.refused(new MailRefusal("5.6.0", "no", "A multipart boundary is longer than 70 characters"));
        meters.refused(new MailRefusal("5.7.1", "no", "virus found"));

        assertThat(count("refused", "encrypted")).isEqualTo(1);
        assertThat(count("refused", "signed")).isEqualTo(1);
        assertThat(count("refused", "unparseable")).isEqualTo(2);
        assertThat(count("refused", "virus")).isEqualTo(1);
    }

    @Test
    void temporaryFailureWhenEachKindOfFailureThenCountedByWhatFailed() {
        meters.temporaryFailure(new RelayException("451", false, null));
        meters.temporaryFailure(new StorageException("down"));
        meters.temporaryFailure(new DataAccessResourceFailureException("down"));
        meters.temporaryFailure(new SystemMailException("down", true, null));
        meters.temporaryFailure(new IOException("disk full"));
        meters.temporaryFailure(new IllegalStateException("bug"));

        for (String reason : new String[] {"relay", "storage", "database", "system-mail", "spool", "other"}) {
            assertThat(count("temp-failed", reason)).as(reason).isEqualTo(1);
        }
    }

    private double count(String outcome, String reason) {
        return registry.get("todoke.mail.messages")
                .tag("outcome", outcome)
                .tag("reason", reason)
                .counter()
                .count();
    }
}
