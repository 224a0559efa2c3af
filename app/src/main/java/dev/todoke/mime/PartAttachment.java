package dev.todoke.mime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** An attachment backed by a byte range of the spool file. */
record PartAttachment(Path file, Part part, int ordinal) implements Attachment {

    @Override
    public String fileName() {
        return part.fileName;
    }

    @Override
    public String contentType() {
        return part.baseType();
    }

    @Override
    public InputStream openDecoded() throws IOException {
        return Decoding.openBody(file, part);
    }

    @Override
    public long encodedSize() {
        return Math.max(0, part.bodyEnd - part.bodyStart);
    }

    @Override
    public boolean isBase64Body(long start, long end) {
        return "base64".equals(part.transferEncoding) && part.bodyStart == start && part.bodyEnd == end;
    }

    /** Where the part sits in the tree: "0" is the top, "0.1" its second child (for tests and logs). */
    String path() {
        return part.path;
    }

    @Override
    public String toString() {
        return "Attachment[" + ordinal + ", " + part.baseType() + ", " + part.path + "]";
    }
}
