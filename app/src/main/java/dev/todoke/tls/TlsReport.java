package dev.todoke.tls;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What the TLS check found out about one recipient domain: the verdict, and the evidence behind it.
 *
 * @param domain the recipient domain, lower case, in ASCII (IDNs as punycode)
 * @param verdict the overall verdict; see docs/tls-check.md for what each one means
 * @param checkedAt when the check finished
 * @param mx the MX hosts probed, most preferred first (at most {@code todoke.tls.max-mx-hosts}); empty
 *     when DNS gave no host to probe
 * @param mtaSts the domain's MTA-STS policy
 * @param dane the DANE TLSA records of the probed MX hosts
 */
public record TlsReport(String domain, Verdict verdict, Instant checkedAt, List<MxHost> mx, MtaSts mtaSts, Dane dane) {

    public TlsReport {
        mx = List.copyOf(mx);
    }

    /** The verdict on a domain. {@link #code()} is the word used in JSON, configuration and audit. */
    public enum Verdict {
        /** STARTTLS, a valid certificate for the MX name, and the domain enforces TLS (MTA-STS or DANE). */
        TLS_VERIFIED(
                "tls-verified",
                "Encrypted and verified: the recipient's mail server requires encryption and proved its identity.",
                "暗号化・検証済み: 受信側メールサーバーは暗号化を必須とし、証明書で身元を確認できました。"),
        /** STARTTLS works, but the certificate does not verify or nothing makes senders insist on TLS. */
        TLS(
                "tls",
                "Encrypted: the recipient's mail server accepts encrypted delivery, but its identity is not"
                        + " verified or encryption is not enforced.",
                "暗号化あり: 受信側メールサーバーは暗号化に対応していますが、身元の検証または暗号化の強制ができていません。"),
        /** The server answers but offers no working STARTTLS: mail would travel in plain text. */
        NO_TLS(
                "no-tls",
                "Not encrypted: the recipient's mail server does not offer encryption; mail travels in plain text.",
                "暗号化なし: 受信側メールサーバーは暗号化に対応していません。メールは平文で届きます。"),
        /** No MX host could be reached or understood within the time allowed. */
        UNREACHABLE(
                "unreachable",
                "Unknown: the recipient's mail server could not be reached to check it.",
                "不明: 受信側メールサーバーに接続できず、確認できませんでした。"),
        /** The domain publishes no mail server (no MX, no address, or a null MX). */
        NO_MX(
                "no-mx",
                "No mail server: the recipient's domain does not accept mail.",
                "メールサーバーなし: 受信側ドメインはメールを受け付けていません。");

        private final String code;
        private final String english;
        private final String japanese;

        Verdict(String code, String english, String japanese) {
            this.code = code;
            this.english = english;
            this.japanese = japanese;
        }

        /** The verdict's word: {@code tls-verified}, {@code tls}, {@code no-tls}, {@code unreachable}, {@code no-mx}. */
        public String code() {
            return code;
        }

        /** One sentence for senders, in Japanese when the locale's language is Japanese, else English. */
        public String plainWords(Locale locale) {
            return "ja".equals(locale.getLanguage()) ? japanese : english;
        }

        /** True for the verdicts that come from a failure to learn anything (cached shorter). */
        public boolean isFailure() {
            return this == UNREACHABLE || this == NO_MX;
        }

        /** The verdict for a code, e.g. {@code "no-tls"}. */
        public static Verdict ofCode(String code) {
            for (Verdict v : values()) {
                if (v.code.equals(code)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("unknown TLS verdict: " + code);
        }
    }

    /**
     * One probed MX host.
     *
     * @param host the MX host name (or the host of {@code todoke.tls.mx-overrides})
     * @param preference the MX preference (0 for an address fallback or an override)
     * @param reachable whether the host answered with an SMTP greeting and EHLO
     * @param starttls whether a STARTTLS handshake succeeded (offered and completed)
     * @param tlsVersion the negotiated protocol, e.g. {@code TLSv1.3}; null without TLS
     * @param cipher the negotiated cipher suite; null without TLS
     * @param certificateValid whether the chain verifies against the trust store; null without TLS
     * @param nameMatches whether the certificate names the host; null without TLS
     * @param error what went wrong, in plain words; null when nothing did
     */
    public record MxHost(
            String host,
            int preference,
            boolean reachable,
            boolean starttls,
            String tlsVersion,
            String cipher,
            Boolean certificateValid,
            Boolean nameMatches,
            String error) {

        /** True when TLS worked and the certificate is valid for this host's name. */
        public boolean verified() {
            return starttls && Boolean.TRUE.equals(certificateValid) && Boolean.TRUE.equals(nameMatches);
        }
    }

    /**
     * The domain's MTA-STS (RFC 8461) policy.
     *
     * @param mode {@code enforce}, {@code testing} or {@code none}; null when the domain publishes no
     *     valid policy (no {@code _mta-sts} record, or the policy could not be fetched or parsed)
     * @param mxMatches whether every probed MX host matches the policy's {@code mx} patterns; null
     *     without a policy
     */
    public record MtaSts(String mode, Boolean mxMatches) {

        static final MtaSts NONE = new MtaSts(null, null);

        /** True when the policy is in enforce mode and covers the probed hosts. */
        public boolean enforced() {
            return "enforce".equals(mode) && Boolean.TRUE.equals(mxMatches);
        }
    }

    /**
     * DANE (RFC 7672) for the probed MX hosts.
     *
     * @param tlsa whether TLSA records exist at {@code _25._tcp.<mx>} for a probed host
     * @param dnssecValidated whether every TLSA answer came with the resolver's DNSSEC "authenticated
     *     data" flag; false without TLSA records
     * @param certificateMatches whether each probed host's certificate chain matches one of its TLSA
     *     records (usages DANE-TA and DANE-EE)
     */
    public record Dane(boolean tlsa, boolean dnssecValidated, boolean certificateMatches) {

        static final Dane NONE = new Dane(false, false, false);

        /** True when DANE is published, DNSSEC-validated, and the certificates match it. */
        public boolean enforced() {
            return tlsa && dnssecValidated && certificateMatches;
        }
    }
}
