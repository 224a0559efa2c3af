package dev.todoke.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The audit log, under {@code todoke.audit.}.
 *
 * @param key base64 of the HMAC-SHA256 key (at least 32 bytes) that chains the audit rows (docs/adr/0085);
 *     empty: generated on first start into {@code ${todoke.data-dir}/keys/audit-key} (dev mode only, production
 *     mode requires it). Every replica must use the same key, and it must never change while rows it chained
 *     remain, or verification reports them as broken.
 */
@ConfigurationProperties("todoke.audit")
public record AuditProperties(@DefaultValue("") String key) {

    @Override
    public String toString() {
        return "AuditProperties[key=" + (key == null || key.isBlank() ? "(generated)" : "(set)") + "]";
    }
}
