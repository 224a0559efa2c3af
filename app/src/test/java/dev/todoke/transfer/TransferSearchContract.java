package dev.todoke.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.todoke.common.DomainException;
import dev.todoke.transfer.Transfers.NewLink;
import dev.todoke.transfer.Transfers.NewMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** What {@link TransferSearch} must find on every database Todoke supports (fresh schema per test). */
abstract class TransferSearchContract {

    private static final Instant NOW = Instant.parse("2026-11-23T08:00:00Z");

    private Transfers transfers;
    private TransferSearch search;

    abstract DataSource dataSource();

    @BeforeEach
    void setUp() {
        DataSource dataSource = dataSource();
        JdbcClient jdbc = JdbcClient.create(dataSource);
        transfers =
                new Transfers(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)), event -> {});
        search = new TransferSearch(jdbc);
    }

    private UUID insert(String sender, String subject, Instant at, String... recipients) {
        UUID id = UUID.randomUUID();
        transfers.insert(
                new NewMessage(
                        id,
                        sender,
                        null,
                        subject,
                        null,
                        null,
                        at,
                        at.plus(Duration.ofDays(7)),
                        id.toString().replace("-", "") + "0".repeat(32),
                        at.plus(Duration.ofDays(9))),
                List.of(),
                java.util.Arrays.stream(recipients)
                        .map(r -> new NewLink(UUID.randomUUID(), r, UUID.randomUUID() + "x".repeat(28)))
                        .toList());
        transfers.markState(id, MessageState.RELAYED);
        return id;
    }

    private List<UUID> find(String sender, String recipient, String subject, Instant from, Instant to, String state) {
        return search
                .search(new TransferSearch.Query(sender, recipient, subject, from, to, state, 0, 50), NOW)
                .items()
                .stream()
                .map(Transfers.Message::id)
                .toList();
    }

    @Test
    void searchWhenFiltersCombineThenOnlyMatchesNewestFirstWithTheTotal() {
        UUID quote = insert("Taro@Corp.example", "Re: 見積書（第３版）", NOW.minusSeconds(20), "a@partner.example");
        UUID invoice = insert("hana@corp.example", "Invoice_November 100%", NOW.minusSeconds(10), "b@bank.example");
        UUID other = insert("x@elsewhere.example", "見積書", NOW, "a@partner.example", "c@bank.example");

        assertThat(find("taro@corp.EXAMPLE", null, null, null, null, null)).containsExactly(quote);
        assertThat(find("corp.example", null, null, null, null, null)).containsExactly(invoice, quote);
        assertThat(find(null, "partner.example", null, null, null, null)).containsExactly(other, quote);
        assertThat(find(null, "C@bank.example", null, null, null, null)).containsExactly(other);
        assertThat(find(null, null, "見積書", null, null, null)).containsExactly(other, quote);
        assertThat(find(null, null, "第3版)", null, null, null)).containsExactly(quote);
        assertThat(find(null, null, "_november 100%", null, null, null)).containsExactly(invoice);
        assertThat(find(null, null, "n_", null, null, null)).isEmpty();
        assertThat(find(null, null, null, NOW.minusSeconds(10), NOW, null)).containsExactly(invoice);
        assertThat(find(null, "bank.example", null, null, null, "active")).containsExactly(other, invoice);
        TransferSearch.Page page =
                search.search(new TransferSearch.Query(null, null, null, null, null, null, 1, 2), NOW);
        assertThat(page.total()).isEqualTo(3);
        assertThat(page.items()).extracting(Transfers.Message::id).containsExactly(quote);
        assertThat(page.items().get(0).maxExpiresAt())
                .isEqualTo(NOW.minusSeconds(20).plus(Duration.ofDays(9)));
    }

    @Test
    void linksAndFileCountsWhenAskedForAPageThenGroupedByMessage() {
        UUID one = insert("s@corp.example", "one", NOW, "b@x.example", "a@x.example");
        UUID two = insert("s@corp.example", "two", NOW);

        Map<UUID, List<Transfers.Link>> links = search.links(List.of(one, two));

        assertThat(links).containsOnlyKeys(one);
        assertThat(links.get(one)).extracting(Transfers.Link::recipient).containsExactly("a@x.example", "b@x.example");
        assertThat(search.fileCounts(List.of(one, two))).isEmpty();
        assertThat(search.links(List.of())).isEmpty();
        assertThat(search.find(two)).map(Transfers.Message::subject).contains("two");
    }

    @Test
    void searchWhenSubjectOfOneCharacterOrUnknownStateThenInvalid() {
        assertThatThrownBy(() -> find(null, null, " 見 ", null, null, null))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.code()).isEqualTo("subject-too-short"));
        assertThatThrownBy(() -> find(null, null, null, null, null, "lost")).isInstanceOf(DomainException.class);
    }
}
