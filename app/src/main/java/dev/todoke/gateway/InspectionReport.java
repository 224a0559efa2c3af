package dev.todoke.gateway;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the inspection steps tell the sender in the receipt, beyond password-protected files: personal
 * data found (counts and lines, never the data), files whose text was not (fully) scanned, archives over
 * a decompression limit, and the values of the receipt's {@code X-Todoke-Finding} header. Confined to
 * the transaction's thread; not thread-safe.
 */
final class InspectionReport {

    /**
     * One line of the receipt.
     *
     * @param where the body ({@code 本文 1 / body 1}) or the file name
     * @param what what was found, for example {@code my-number 2 (lines 3, 7)}
     */
    record Line(String where, String what) {}

    /** What a receipt shows; empty lists when there is nothing to say. */
    record Snapshot(List<Line> personalData, List<Line> notScanned, List<Line> archiveLimits) {
        static final Snapshot EMPTY = new Snapshot(List.of(), List.of(), List.of());

        Snapshot {
            personalData = List.copyOf(personalData);
            notScanned = List.copyOf(notScanned);
            archiveLimits = List.copyOf(archiveLimits);
        }
    }

    private final List<Line> personalData = new ArrayList<>();
    private final List<Line> notScanned = new ArrayList<>();
    private final List<Line> archiveLimits = new ArrayList<>();
    private final Set<String> findings = new LinkedHashSet<>();

    void personalData(String where, String what) {
        personalData.add(new Line(where, what));
    }

    void notScanned(String where, String why) {
        notScanned.add(new Line(where, why));
    }

    void archiveLimit(String where, String which) {
        archiveLimits.add(new Line(where, which));
    }

    /** A value for the receipt's {@code X-Todoke-Finding} header (no names, no data). */
    void finding(String value) {
        findings.add(value);
    }

    Set<String> findings() {
        return findings;
    }

    Snapshot snapshot() {
        return new Snapshot(personalData, notScanned, archiveLimits);
    }
}
