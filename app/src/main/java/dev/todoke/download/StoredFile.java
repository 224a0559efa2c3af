package dev.todoke.download;

import java.util.UUID;

/** One attachment of a message, as listed to a verified recipient. */
record StoredFile(UUID id, String name, String contentType, long size, String sha256, String blobKey) {}
