package dev.todoke.virus;

/**
 * The virus scan as the gateway uses it: whether it runs, the clamd to ask, and what to do when clamd
 * cannot be asked or a file is too large for it. Built once at startup from {@link ClamavProperties}
 * and {@code todoke.mode}. Immutable and thread-safe.
 *
 * @param enabled whether every attachment is scanned
 * @param clamd the client of the configured clamd
 * @param failOpen true: mail passes when clamd cannot be asked (audited); false: 451
 * @param oversize what a file beyond clamd's limits leads to
 */
public record VirusScanning(boolean enabled, ClamdClient clamd, boolean failOpen, ClamavProperties.Oversize oversize) {

    /** The path, below {@code todoke.public-url}, of the bilingual page a virus refusal names. */
    public static final String HELP_PATH = "/help/virus";
}
