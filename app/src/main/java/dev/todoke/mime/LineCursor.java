package dev.todoke.mime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The line position of a scan over the spool file: the current line, the boundaries of the enclosing
 * multiparts, and what ended the most recent entity (a delimiter, a close delimiter, or the end of the
 * file). {@link StructureScanner} builds the part tree on top of it. Not thread safe.
 */
abstract class LineCursor {

    enum Hit {
        EOF,
        DELIMITER,
        CLOSE
    }

    final LineReader in;
    final MimeLimits limits;
    /** Boundaries of the enclosing multiparts, outermost first. */
    final List<String> boundaries = new ArrayList<>();

    /** File offset just after the last consumed line. */
    long position;
    /** What ended the most recent entity. */
    Hit hit = Hit.EOF;
    /** Index in {@link #boundaries} of the boundary that ended it. */
    int hitLevel = -1;
    /** Start of the delimiter that ended it (the line break before the boundary line included). */
    long hitStart;
    /** Line break length of the previous line. */
    int previousBreak;
    /** Where the current region (header section, body, epilogue) began. */
    long regionStart;
    /** The current line is read again by the next {@link #nextLine} (a header section ended on it). */
    boolean replay;

    LineCursor(LineReader in, MimeLimits limits) {
        this.in = in;
        this.limits = limits;
    }

    boolean nextLine(boolean lineLimit) throws IOException, MimeRejectedException {
        if (replay) {
            replay = false;
        } else {
            previousBreak = in.breakLength();
            if (!in.next()) {
                return false;
            }
        }
        position = in.lineEnd();
        if (lineLimit) {
            checkLineLength(in.contentLength());
        }
        return true;
    }

    /**
     * Moves past the lines that follow the current one in {@link LineReader#skipLinesWithoutDash} (none of
     * them can be a delimiter), as that many {@link #nextLine} calls would, except that {@link #previousBreak}
     * is left as it was: only a delimiter line reads it, and the next {@link #nextLine} sets it from the last
     * skipped line. Returns the longest content length skipped, or -1 when none was.
     */
    long skipLinesWithoutDash(boolean lineLimit) throws MimeRejectedException {
        if (replay) {
            return -1;
        }
        long longest = in.skipLinesWithoutDash();
        if (longest < 0) {
            return -1;
        }
        position = in.lineEnd();
        if (lineLimit) {
            checkLineLength(longest);
        }
        return longest;
    }

    private void checkLineLength(long length) throws MimeRejectedException {
        if (length > limits.maxLineLength()) {
            throw new MimeRejectedException("The message has a line longer than " + limits.maxLineLength()
                    + " octets, more than this gateway accepts.");
        }
    }

    /** Start of a delimiter on the current line: the previous line's break belongs to it. */
    long delimiterStart() {
        long start = in.lineStart();
        return start > regionStart ? start - previousBreak : start;
    }

    /** Matches the current line against the active boundaries, innermost first; sets the hit fields. */
    boolean matchBoundary(int outermostLevelExclusiveOf) {
        int length = in.capturedLength();
        byte[] line = in.captured();
        if (length < 3 || line[0] != '-' || line[1] != '-' || !in.complete()) {
            return false;
        }
        for (int level = boundaries.size() - 1; level >= 0; level--) {
            if (level == outermostLevelExclusiveOf) {
                continue;
            }
            byte[] b = boundaries.get(level).getBytes(StandardCharsets.ISO_8859_1);
            if (length < b.length + 2) {
                continue;
            }
            boolean same = true;
            for (int i = 0; i < b.length; i++) {
                if (line[i + 2] != b[i]) {
                    same = false;
                    break;
                }
            }
            if (!same) {
                continue;
            }
            int rest = b.length + 2;
            if (length >= rest + 2 && line[rest] == '-' && line[rest + 1] == '-') {
                setHit(Hit.CLOSE, level);
                return true;
            }
            boolean blank = true;
            for (int i = rest; i < length; i++) {
                if (line[i] != ' ' && line[i] != '\t') {
                    blank = false;
                    break;
                }
            }
            if (blank) {
                setHit(Hit.DELIMITER, level);
                return true;
            }
        }
        return false;
    }

    /** Whether the current line starts like a Content-* header field. */
    boolean mimeField() {
        String start = new String(in.captured(), 0, Math.min(in.capturedLength(), 40), StandardCharsets.ISO_8859_1)
                .toLowerCase(Locale.ROOT);
        return start.matches("content-[a-z-]+\\s*:.*");
    }

    void setHit(Hit kind, int level) {
        hit = kind;
        hitLevel = level;
        hitStart = delimiterStart();
    }

    void endOfFile() {
        hit = Hit.EOF;
        hitLevel = -1;
        hitStart = position;
    }

    /** Length of a UTF-8 byte-order mark at the start of the current line (a saved file's artefact), or 0. */
    int bom() {
        byte[] line = in.captured();
        return in.capturedLength() >= 3 && line[0] == (byte) 0xef && line[1] == (byte) 0xbb && line[2] == (byte) 0xbf
                ? 3
                : 0;
    }
}
