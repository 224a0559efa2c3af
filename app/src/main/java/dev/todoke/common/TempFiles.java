package dev.todoke.common;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Files that hold a message or a part of one only while it is processed (spools, extracts).
 *
 * <p>Such a file is made empty by {@link Files#createTempFile} and then opened for writing. It must be
 * opened <em>without</em> truncating it (which {@link Files#newOutputStream(Path, java.nio.file.OpenOption...)}
 * does by default): on ext4, truncating a file to zero marks it as "replaced by truncate"
 * ({@code auto_da_alloc}), and closing it then starts writing all of it to the disk at once. A 64 MB
 * message's spool of 88 MB was written to the disk that way, only to be deleted a moment later, and its
 * writes delayed the fsync of the attachment's blob by about 40 ms (docs/benchmarks.md, session 15).
 */
public final class TempFiles {

    private TempFiles() {}

    /** Opens an existing empty file for writing from its start, without truncating it. */
    public static OutputStream openForWriting(Path emptyFile) throws IOException {
        return Files.newOutputStream(emptyFile, StandardOpenOption.WRITE);
    }
}
