package dev.todoke.transfer;

import java.util.UUID;

/**
 * One attachment taken out of a message and kept in the blob store under {@code blobKey}: the one model
 * of a {@code stored_file} row. The gateway builds it when it stores an attachment and hands it to
 * {@link Transfers#insert}; the download, sender and purge code read it back from {@link Transfers}.
 * Immutable.
 *
 * @param ordinal the attachment's position in the message (0-based): files are listed in this order
 * @param size the decoded size in bytes
 * @param sha256 SHA-256 of the decoded bytes, lowercase hex
 */
public record StoredFile(
        UUID id, int ordinal, String name, String contentType, long size, String sha256, String blobKey) {}
