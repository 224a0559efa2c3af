package dev.todoke.tls;

import dev.todoke.tls.TlsReport.Verdict;
import java.util.List;

/** The verdict on a domain from what its probe found. See docs/tls-check.md. */
final class Verdicts {

    private Verdicts() {}

    /**
     * The weakest of the reachable hosts decides, because a sender may deliver to any of them: no reachable
     * host is {@code unreachable}; one reachable host without working STARTTLS is {@code no-tls}; every
     * reachable host with a valid certificate for its name, and MTA-STS enforce covering them or DANE, is
     * {@code tls-verified}; anything else is {@code tls}.
     */
    static Verdict of(List<TlsReport.MxHost> hosts, TlsReport.MtaSts mtaSts, TlsReport.Dane dane) {
        List<TlsReport.MxHost> reachable =
                hosts.stream().filter(TlsReport.MxHost::reachable).toList();
        if (reachable.isEmpty()) {
            return Verdict.UNREACHABLE;
        }
        if (reachable.stream().anyMatch(h -> !h.starttls())) {
            return Verdict.NO_TLS;
        }
        if (reachable.stream().allMatch(TlsReport.MxHost::verified) && (mtaSts.enforced() || dane.enforced())) {
            return Verdict.TLS_VERIFIED;
        }
        return Verdict.TLS;
    }
}
