package dev.todoke.download;

import dev.todoke.link.LinkTokens;
import dev.todoke.transfer.StoredFile;
import dev.todoke.transfer.Transfers;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The transfer data as a recipient's requests see it: a link looked up by its token (never by anything
 * else), the message's files, and download records. Reads {@link Transfers} fresh on every call.
 * Thread-safe; failures are Spring {@code DataAccessException}s.
 */
@Component
class RecipientLinks {

    private final Transfers transfers;

    RecipientLinks(Transfers transfers) {
        this.transfers = transfers;
    }

    /** The link this token opens; empty for an unknown or malformed token. */
    Optional<RecipientLink> findByToken(String token) {
        return LinkTokens.hashIfToken(token).flatMap(transfers::findLink).map(RecipientLink::of);
    }

    List<StoredFile> files(UUID messageId) {
        return transfers.files(messageId);
    }

    Optional<StoredFile> file(UUID messageId, UUID fileId) {
        return transfers.file(messageId, fileId);
    }

    /**
     * Records a download (file null: the ZIP of all files).
     *
     * @return true when this was the link's first download
     */
    boolean recordDownload(UUID linkId, UUID fileId, Instant at, String clientIp) {
        return transfers.recordDownload(linkId, fileId, at, clientIp);
    }
}
