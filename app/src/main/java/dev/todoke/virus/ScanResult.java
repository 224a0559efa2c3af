package dev.todoke.virus;

import java.util.Objects;

/**
 * What clamd said about one stream.
 *
 * @param verdict clean, infected or too large to scan
 * @param signature the signature clamd named (for {@link Verdict#INFECTED}, and for {@link
 *     Verdict#TOO_LARGE} when clamd reported a limit as a heuristic finding), reduced to printable ASCII;
 *     empty otherwise
 */
public record ScanResult(Verdict verdict, String signature) {

    /** clamd's verdict. */
    public enum Verdict {
        /** {@code stream: OK}. */
        CLEAN,
        /** {@code stream: <signature> FOUND}. */
        INFECTED,
        /**
         * Beyond clamd's limits: {@code INSTREAM size limit exceeded} ({@code StreamMaxLength}), or a
         * {@code Heuristics.Limits.Exceeded.*} finding ({@code MaxFileSize}, {@code MaxScanSize} ... with
         * {@code AlertExceedsMax yes}). Not scanned completely, so neither clean nor infected.
         */
        TOO_LARGE
    }

    public ScanResult {
        Objects.requireNonNull(verdict, "verdict");
        signature = signature == null ? "" : signature;
    }

    static ScanResult clean() {
        return new ScanResult(Verdict.CLEAN, "");
    }
}
