package dev.todoke.common;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochRandomGenerator;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Primary keys for new rows: UUIDs of version 7 (RFC 9562), whose first 48 bits are the creation time in
 * Unix milliseconds and whose other 74 free bits come from {@link SecureRandom}. Rows made at about the
 * same time sort together, so a mail's inserts land on the last pages of the B-trees keyed on them (the
 * tables' primary keys and every index that starts with a message id) instead of on random pages, each
 * of which the database must then write again (ADR 0199). An id tells when its row was made, which the
 * mail's own Date header tells too; it is never a capability: what grants access is a token
 * ({@code LinkTokens}), of which only hashes are stored. Thread-safe.
 */
public final class RowIds {

    private static final TimeBasedEpochRandomGenerator GENERATOR =
            Generators.timeBasedEpochRandomGenerator(new SecureRandom());

    private RowIds() {}

    /** A new id, unique with overwhelming probability: 74 random bits within each millisecond. */
    public static UUID next() {
        return GENERATOR.generate();
    }
}
