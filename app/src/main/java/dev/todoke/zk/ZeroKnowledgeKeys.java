package dev.todoke.zk;

import dev.todoke.transfer.LinkRevoked;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The stored side of the zero-knowledge mode (docs/zero-knowledge.md): which messages are in it (table
 * {@code zk_message}) and each link's wrapped data key ({@code zk_link_key}). Only wrapped keys are ever
 * passed in or out: the data key and the link secrets never reach this class. A revocation deletes the
 * link's wrapped key in the revoking transaction, so that even a copy of the link with its fragment opens
 * nothing afterwards. Thread-safe; failures are Spring {@code DataAccessException}s.
 */
@Component
public class ZeroKnowledgeKeys {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final JdbcClient jdbc;

    public ZeroKnowledgeKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a message as zero-knowledge with each link's wrapped data key (link id to wrapped key). */
    public void record(UUID messageId, Map<UUID, byte[]> wrappedKeys) {
        jdbc.sql("insert into zk_message (message_id) values (?)")
                .param(messageId)
                .update();
        for (Map.Entry<UUID, byte[]> e : wrappedKeys.entrySet()) {
            jdbc.sql("insert into zk_link_key (link_id, message_id, wrapped_key) values (?, ?, ?)")
                    .params(e.getKey(), messageId, ENCODER.encodeToString(e.getValue()))
                    .update();
        }
    }

    /** Whether the message's files are stored in the zero-knowledge format. */
    public boolean isZeroKnowledge(UUID messageId) {
        return jdbc.sql("select count(*) from zk_message where message_id = ?")
                        .param(messageId)
                        .query(Long.class)
                        .single()
                > 0;
    }

    /** The link's wrapped data key; empty once the link was revoked (or for a standard link). */
    public Optional<byte[]> wrappedKey(UUID linkId) {
        return jdbc.sql("select wrapped_key from zk_link_key where link_id = ?")
                .param(linkId)
                .query(String.class)
                .optional()
                .map(DECODER::decode);
    }

    /** Deletes the wrapped key of a link that was just revoked (in the revoking transaction). */
    @EventListener
    void forget(LinkRevoked revoked) {
        jdbc.sql("delete from zk_link_key where link_id = ?")
                .param(revoked.linkId())
                .update();
    }
}
