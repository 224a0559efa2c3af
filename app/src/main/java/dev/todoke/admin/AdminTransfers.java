package dev.todoke.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.todoke.common.DomainException;
import dev.todoke.sender.TlsSummaries;
import dev.todoke.transfer.MessageState;
import dev.todoke.transfer.StoredFile;
import dev.todoke.transfer.TransferChanges;
import dev.todoke.transfer.TransferSearch;
import dev.todoke.transfer.Transfers;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * What an administrator sees and does with transfers, for the admin JSON API and the console: search,
 * one transfer's recipients, files, downloads and TLS verdicts, revoke, and change the expiry. Revoking
 * and the expiry go through {@link TransferChanges}, as the sender's own do; both are audited with the
 * administrator's name and the sender is told by mail. Reads fresh from the database on every call.
 * Thread-safe.
 */
@Service
public class AdminTransfers {

    /** Rows per page when the caller names none, and the most a page may have. */
    public static final int DEFAULT_SIZE = 50;

    public static final int MAX_SIZE = 500;

    private final TransferSearch search;
    private final Transfers transfers;
    private final TransferChanges changes;
    private final ObjectProvider<TlsSummaries> tls;
    private final SenderNotices notices;
    private final Clock clock;

    AdminTransfers(
            TransferSearch search,
            Transfers transfers,
            TransferChanges changes,
            ObjectProvider<TlsSummaries> tls,
            SenderNotices notices,
            Clock clock) {
        this.notices = notices;
        this.search = search;
        this.transfers = transfers;
        this.changes = changes;
        this.tls = tls;
        this.clock = clock;
    }

    /**
     * A search as the API and the console take it; any filter null or blank when not used.
     *
     * @param from ISO-8601 instant: created at or after
     * @param to ISO-8601 instant: created before
     * @param page from 0
     * @param size 1 to {@link #MAX_SIZE}; null for {@link #DEFAULT_SIZE}
     */
    public record Criteria(
            String sender,
            String recipient,
            String subject,
            String from,
            String to,
            String state,
            Integer page,
            Integer size) {}

    /** One transfer in a list. */
    public record Item(
            String id,
            String sender,
            String from,
            String subject,
            String state,
            String createdAt,
            String expiresAt,
            int files,
            List<RecipientState> recipients) {}

    /** A recipient's address and the state of their link: {@code active}, {@code revoked}, {@code expired}. */
    public record RecipientState(String address, String state) {}

    /** A page of the search: the items and how many transfers match in all. */
    public record Page(List<Item> items, long total) {}

    /** One transfer with everything the console shows about it. */
    public record Detail(
            String id,
            String sender,
            String from,
            String subject,
            String state,
            String createdAt,
            String expiresAt,
            String maximumExpiry,
            List<FileInfo> files,
            List<RecipientInfo> recipients) {}

    public record FileInfo(String id, String name, long size, String sha256, String contentType) {}

    /**
     * A recipient with their downloads and the TLS verdict of their domain in plain words, Japanese / English
     * (from the TLS check's cache: null when not known; never starts a check).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record RecipientInfo(
            String address, String state, String revokedAt, String tls, List<DownloadInfo> downloads) {}

    /** One download: a file ({@code zip} false) or all files as one ZIP ({@code fileId} null). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record DownloadInfo(String fileId, boolean zip, String at, String clientIp) {}

    /** The transfers that match, newest first. */
    public Page search(Criteria criteria) {
        int page = criteria.page() == null ? 0 : criteria.page();
        int size = criteria.size() == null ? DEFAULT_SIZE : criteria.size();
        if (page < 0) {
            throw DomainException.invalid("invalid-page");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw DomainException.invalid("invalid-size");
        }
        if (criteria.state() != null
                && !criteria.state().isBlank()
                && !TransferSearch.STATES.contains(criteria.state().strip())) {
            throw new DomainException(
                    DomainException.Kind.INVALID, "invalid-state", Map.of("allowed", TransferSearch.STATES));
        }
        Instant now = clock.instant();
        TransferSearch.Page found = search.search(
                new TransferSearch.Query(
                        criteria.sender(),
                        criteria.recipient(),
                        criteria.subject(),
                        instant(criteria.from(), "invalid-from"),
                        instant(criteria.to(), "invalid-to"),
                        criteria.state(),
                        page,
                        size),
                now);
        List<UUID> ids = found.items().stream().map(Transfers.Message::id).toList();
        Map<UUID, List<Transfers.Link>> links = search.links(ids);
        Map<UUID, Integer> files = search.fileCounts(ids);
        List<Item> items = new ArrayList<>();
        for (Transfers.Message m : found.items()) {
            items.add(new Item(
                    m.id().toString(),
                    m.envelopeFrom(),
                    m.headerFrom(),
                    m.subject(),
                    m.state().name().toLowerCase(java.util.Locale.ROOT),
                    TransferChanges.iso(m.createdAt()),
                    TransferChanges.iso(m.expiresAt()),
                    files.getOrDefault(m.id(), 0),
                    links.getOrDefault(m.id(), List.of()).stream()
                            .map(l -> new RecipientState(l.recipient(), linkState(m, l, now)))
                            .toList()));
        }
        return new Page(items, found.total());
    }

    /** One transfer; not found for an unknown id. */
    public Detail detail(String id) {
        return detail(message(id));
    }

    /**
     * Revokes one recipient's link (recipient given) or all; audited {@code link-revoked} {@code by admin
     * <name>}.
     *
     * @param admin the administrator's name
     * @return the transfer after the change
     */
    public Detail revoke(String id, String recipient, String admin, String clientIp) {
        Transfers.Message message = message(id);
        List<Transfers.Link> revoked = changes.revoke(message, recipient, by(admin), clientIp);
        notices.revoked(message, revoked);
        return detail(message(id));
    }

    /** Moves the expiry within the same limits as the sender's; audited {@code expiry-changed}. */
    public Detail changeExpiry(String id, Instant expiresAt, String admin, String clientIp) {
        Transfers.Message message = message(id);
        changes.changeExpiry(message, expiresAt, by(admin), clientIp);
        notices.expiryChanged(message, expiresAt);
        return detail(message(id));
    }

    static String by(String admin) {
        return admin == null || admin.isBlank() ? "by admin" : "by admin " + admin;
    }

    private Transfers.Message message(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw DomainException.notFound();
        }
        return search.find(uuid).orElseThrow(DomainException::notFound);
    }

    private Detail detail(Transfers.Message m) {
        Instant now = clock.instant();
        List<StoredFile> files = transfers.files(m.id());
        List<TransferSearch.DownloadRecord> downloads = search.downloads(m.id());
        List<RecipientInfo> recipients = new ArrayList<>();
        for (Transfers.Link link : transfers.links(m.id())) {
            List<DownloadInfo> mine = downloads.stream()
                    .filter(d -> d.linkId().equals(link.id()))
                    .map(d -> new DownloadInfo(
                            d.fileId() == null ? null : d.fileId().toString(),
                            d.fileId() == null,
                            TransferChanges.iso(d.at()),
                            d.clientIp()))
                    .toList();
            recipients.add(new RecipientInfo(
                    link.recipient(),
                    linkState(m, link, now),
                    link.revokedAt() == null ? null : TransferChanges.iso(link.revokedAt()),
                    verdict(link.recipient()).orElse(null),
                    mine));
        }
        return new Detail(
                m.id().toString(),
                m.envelopeFrom(),
                m.headerFrom(),
                m.subject(),
                m.state().name().toLowerCase(java.util.Locale.ROOT),
                TransferChanges.iso(m.createdAt()),
                TransferChanges.iso(m.expiresAt()),
                TransferChanges.iso(changes.maximum(m)),
                files.stream()
                        .map(f -> new FileInfo(f.id().toString(), f.name(), f.size(), f.sha256(), f.contentType()))
                        .toList(),
                recipients);
    }

    private Optional<String> verdict(String address) {
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return Optional.empty();
        }
        TlsSummaries summaries = tls.getIfAvailable();
        return summaries == null ? Optional.empty() : summaries.summaryFor(address.substring(at + 1));
    }

    private static String linkState(Transfers.Message m, Transfers.Link link, Instant now) {
        if (link.revoked()) {
            return "revoked";
        }
        return m.state() == MessageState.PURGED || !now.isBefore(m.expiresAt()) ? "expired" : "active";
    }

    private static Instant instant(String text, String code) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(text.strip()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw DomainException.invalid(code);
        }
    }
}
