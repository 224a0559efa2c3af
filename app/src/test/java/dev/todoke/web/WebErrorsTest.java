package dev.todoke.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoke.common.DomainException;
import dev.todoke.common.DomainException.Kind;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebErrorsTest {

    @Test
    void statusWhenEachKindThenTheStatusDocsApiMdPromises() {
        Map<Kind, Integer> promised = new EnumMap<>(Kind.class);
        promised.put(Kind.NOT_FOUND, 404);
        promised.put(Kind.GONE, 410);
        promised.put(Kind.INVALID, 400);
        promised.put(Kind.UNAUTHENTICATED, 401);
        promised.put(Kind.FORBIDDEN, 403);
        promised.put(Kind.RATE_LIMITED, 429);
        promised.put(Kind.UNAVAILABLE, 503);
        promised.put(Kind.STALE, 412);
        promised.put(Kind.PRECONDITION_REQUIRED, 428);

        assertThat(promised).containsOnlyKeys(Kind.values());
        promised.forEach((kind, status) ->
                assertThat(WebErrors.status(kind).value()).as(kind.name()).isEqualTo(status));
    }

    @Test
    void bodyWhenDetailsGivenThenErrorFirstThenTheDetails() {
        DomainException wrong = new DomainException(Kind.UNAUTHENTICATED, "wrong-code", Map.of("attemptsLeft", 3));

        assertThat(WebErrors.body(wrong))
                .containsExactly(Map.entry("error", "wrong-code"), Map.entry("attemptsLeft", 3));
        assertThat(WebErrors.body(DomainException.revoked())).containsExactly(Map.entry("error", "revoked"));
    }
}
