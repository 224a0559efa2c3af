package dev.todoke.templates;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The edited templates and the branding in tables {@code mail_template} and {@code mail_branding}
 * (V6). Every call reads or writes the database directly. Thread-safe.
 */
final class TemplateStore {

    /** One edited template. */
    record Edited(String name, String body, Instant updatedAt, String updatedBy) {}

    /** The branding row: organisation name and the logo's type and hash (the bytes are read separately). */
    record Branding(String organisation, String logoType, String logoSha256, Instant updatedAt, String updatedBy) {
        static final Branding NONE = new Branding("", null, null, null, null);
    }

    /** A stored logo. */
    record Logo(byte[] bytes, String type, String sha256) {}

    private final JdbcClient jdbc;

    TemplateStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The edits and branding in one go: what a render needs. */
    MailTemplates.Snapshot snapshot() {
        Map<String, String> edited = new HashMap<>();
        jdbc.sql("select name, body from mail_template").query(rs -> {
            edited.put(rs.getString("name"), rs.getString("body"));
        });
        Branding branding = branding();
        return new MailTemplates.Snapshot(Map.copyOf(edited), branding.organisation(), branding.logoSha256());
    }

    List<Edited> edited() {
        return jdbc.sql("select name, body, updated_at, updated_by from mail_template order by name")
                .query((rs, n) -> new Edited(
                        rs.getString("name"),
                        rs.getString("body"),
                        rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
                        rs.getString("updated_by")))
                .list();
    }

    Optional<Edited> find(String name) {
        return edited().stream().filter(e -> e.name().equals(name)).findFirst();
    }

    void save(String name, String body, String by, Instant at) {
        int updated = jdbc.sql("update mail_template set body = ?, updated_at = ?, updated_by = ? where name = ?")
                .params(body, Timestamp.from(at), by, name)
                .update();
        if (updated == 0) {
            try {
                jdbc.sql("insert into mail_template (name, body, updated_at, updated_by) values (?, ?, ?, ?)")
                        .params(name, body, Timestamp.from(at), by)
                        .update();
            } catch (DuplicateKeyException e) {
                save(name, body, by, at); // saved at the same moment elsewhere: the later write wins
            }
        }
    }

    boolean delete(String name) {
        return jdbc.sql("delete from mail_template where name = ?").param(name).update() > 0;
    }

    Branding branding() {
        return jdbc.sql("select organisation, logo_type, logo_sha256, updated_at, updated_by from mail_branding"
                        + " where id = 1")
                .query((rs, n) -> new Branding(
                        rs.getString("organisation"),
                        rs.getString("logo_type"),
                        rs.getString("logo_sha256"),
                        rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
                        rs.getString("updated_by")))
                .optional()
                .orElse(Branding.NONE);
    }

    Optional<Logo> logo() {
        return jdbc.sql("select logo, logo_type, logo_sha256 from mail_branding where id = 1 and logo is not null")
                .query((rs, n) -> new Logo(rs.getBytes("logo"), rs.getString("logo_type"), rs.getString("logo_sha256")))
                .optional();
    }

    void saveOrganisation(String organisation, String by, Instant at) {
        ensureRow(at);
        jdbc.sql("update mail_branding set organisation = ?, updated_at = ?, updated_by = ? where id = 1")
                .params(organisation, Timestamp.from(at), by)
                .update();
    }

    void saveLogo(byte[] bytes, String type, String sha256, String by, Instant at) {
        ensureRow(at);
        jdbc.sql("update mail_branding set logo = ?, logo_type = ?, logo_sha256 = ?, updated_at = ?, updated_by = ?"
                        + " where id = 1")
                .params(bytes, type, sha256, Timestamp.from(at), by)
                .update();
    }

    void deleteLogo(String by, Instant at) {
        jdbc.sql("update mail_branding set logo = null, logo_type = null, logo_sha256 = null, updated_at = ?,"
                        + " updated_by = ? where id = 1")
                .params(Timestamp.from(at), by)
                .update();
    }

    private void ensureRow(Instant at) {
        if (jdbc.sql("select count(*) from mail_branding where id = 1")
                        .query(Integer.class)
                        .single()
                == 0) {
            try {
                jdbc.sql("insert into mail_branding (id, organisation, updated_at) values (1, '', ?)")
                        .param(Timestamp.from(at))
                        .update();
            } catch (DuplicateKeyException e) {
                // created at the same moment by another request
            }
        }
    }
}
