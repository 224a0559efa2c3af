package dev.todoke.download;

import java.util.Optional;
import java.util.UUID;

/** Parses ids from paths without throwing. */
final class Ids {

    private Ids() {}

    static Optional<UUID> parse(String id) {
        try {
            return id != null && id.length() == 36 ? Optional.of(UUID.fromString(id)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
