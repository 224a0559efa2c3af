package dev.todoke.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RowIdsTest {

    @Test
    void nextIsAVersion7UuidWhoseFirst48BitsAreTheTimeOfCreationInMilliseconds() {
        long before = System.currentTimeMillis();
        UUID id = RowIds.next();
        long after = System.currentTimeMillis();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
    }

    @Test
    void idsOfALaterMillisecondSortAfterEarlierOnesAsJavaAndAsTheDatabasesCompareThem() throws Exception {
        UUID earlier = RowIds.next();
        long made = earlier.getMostSignificantBits() >>> 16;
        while (System.currentTimeMillis() <= made) {
            Thread.sleep(1);
        }

        UUID later = RowIds.next();

        assertThat(later).isGreaterThan(earlier);
        // PostgreSQL and H2 compare uuids as unsigned bytes, most significant first
        assertThat(Long.compareUnsigned(later.getMostSignificantBits(), earlier.getMostSignificantBits()))
                .isPositive();
    }

    @Test
    void idsMadeInOneMillisecondStillDifferInTheirRandomBits() {
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(RowIds.next());
        }

        assertThat(ids).hasSize(100_000);
        assertThat(ids.stream()
                        .map(id -> id.getLeastSignificantBits() & 0x3FFF_FFFF_FFFF_FFFFL)
                        .distinct())
                .hasSize(100_000);
    }
}
