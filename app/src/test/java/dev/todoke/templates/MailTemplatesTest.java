package dev.todoke.templates;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Rendering with the engine's template cache: an edit is never hidden by the parsed text it replaced. */
class MailTemplatesTest {

    private final AtomicReference<MailTemplates.Snapshot> stored =
            new AtomicReference<>(new MailTemplates.Snapshot(Map.of(), "Example", null));
    private final MailTemplates templates = new MailTemplates(stored::get, "https://files.example.jp", Duration.ZERO);

    @Test
    void renderWhenTemplateEditedBetweenRendersThenNewTextUsed() {
        edit("one [[${name}]]");
        assertThat(templates.render("notice.txt", Map.of("name", "Alice"))).isEqualTo("one Alice");

        edit("two [[${name}]] of [[${organisation}]]");
        assertThat(templates.render("notice.txt", Map.of("name", "Bob"))).isEqualTo("two Bob of Example");

        edit("one [[${name}]]");
        assertThat(templates.render("notice.txt", Map.of("name", "Carol"))).isEqualTo("one Carol");
    }

    @Test
    void renderWhenSameTextUnderTwoNamesThenEachInItsOwnMode() {
        String body = "<b th:text=\"${name}\">x</b>";
        edit("notice.txt", body);
        edit("notice.html", body);

        assertThat(templates.render("notice.html", Map.of("name", "<y>"))).isEqualTo("<b>&lt;y&gt;</b>");
        assertThat(templates.render("notice.txt", Map.of("name", "<y>"))).isEqualTo(body);
    }

    @Test
    void subjectWhenRenderedWithLineBreaksThenOneLine() {
        edit("receipt-subject.txt", "  Sent:\r\n\t[[${name}]]\n");

        assertThat(templates.subject("receipt-subject.txt", Map.of("name", "a.pdf")))
                .isEqualTo("Sent: a.pdf");
    }

    private void edit(String body) {
        edit("notice.txt", body);
    }

    private void edit(String name, String body) {
        Map<String, String> edited = new java.util.HashMap<>(stored.get().edited());
        edited.put(name, body);
        stored.set(new MailTemplates.Snapshot(Map.copyOf(edited), "Example", null));
    }
}
