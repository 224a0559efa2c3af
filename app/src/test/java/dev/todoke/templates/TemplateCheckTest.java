package dev.todoke.templates;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TemplateCheckTest {

    private final TemplateCheck check = new TemplateCheck();
    private final MailTemplates templates = MailTemplates.builtIn();

    private Optional<String> html(String body) {
        return check.problem(body, true, TemplateSamples.variables("notice.html"));
    }

    @Test
    void builtInTemplatesWhenCheckedThenPassAndRenderWithEverySample() {
        for (String name : MailTemplates.NAMES) {
            String body = templates.builtInBody(name);
            assertThat(check.problem(body, name.endsWith(".html"), TemplateSamples.variables(name)))
                    .as(name)
                    .isEmpty();
            for (Map<String, Object> sample : TemplateSamples.of(name)) {
                assertThat(templates.process(name, body, sample, MailTemplates.Snapshot.NONE))
                        .as(name)
                        .isNotBlank();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<p th:text=\"${T(java.lang.Runtime).getRuntime().exec('id')}\">x</p>",
                "<p th:text=\"${new java.lang.ProcessBuilder('id').start()}\">x</p>",
                "<p th:text=\"${@templateStore.snapshot()}\">x</p>",
                "<p th:text=\"${sender.getClass().forName('java.lang.Runtime')}\">x</p>",
                "<p th:text=\"${sender.class}\">x</p>",
                "<p th:text=\"${sender['class']}\">x</p>",
                "<p th:text=\"${#ctx.getVariable('x')}\">x</p>",
                "<p th:text=\"${#root}\">x</p>",
                "<p th:text=\"${files.?[name == 'x']}\">x</p>",
                "<p th:text=\"${sender = 'x'}\">x</p>",
                "<p th:text=\"${secret}\">x</p>",
                "<p th:utext=\"${sender}\">x</p>",
                "<p th:insert=\"~{error :: page}\">x</p>",
                "<p th:text=\"__${sender}__\">x</p>",
                "<p th:text=\"#{footer.text}\">x</p>",
                "<p>[(${sender})]</p>",
                "<p th:attr=\"onclick=${sender}\">x</p>",
                "<p th:text=\"${sender\">x</p>"
            })
    void editedHtmlWhenItReachesBeyondTheVariablesThenRefused(String body) {
        assertThat(html(body)).isPresent();
    }

    @Test
    void editedHtmlWhenPlainUseOfVariablesThenPasses() {
        assertThat(html("<p style=\"width:100px\" th:if=\"${!files.isEmpty() and logoUrl != null}\">"
                        + "<span th:each=\"f, s : ${files}\" th:text=\"${s.count + ': ' + f.name() + ' ' + f.size()}\">"
                        + "</span>[[${organisation}]] [[${#strings.toUpperCase(sender)}]]</p>"))
                .isEmpty();
    }

    @Test
    void textTemplateWhenUnescapedInlineThenPasses() {
        assertThat(check.problem("Code: [(${code})]", false, Set.of("code"))).isEmpty();
    }

    @Test
    void expressionsWhenNestedBracesAndQuotesThenWholeExpressionFound() {
        assertThat(TemplateCheck.expressions("a ${x + '}'} b *{y} c ${'{'}")).containsExactly("x + '}'", "y", "'{'");
    }

    @Test
    void renderWhenEditedThenEditAndBrandingUsed() {
        MailTemplates edited = new MailTemplates(
                () -> new MailTemplates.Snapshot(
                        Map.of("passcode-subject.txt", "[(${organisation})]: [(${code})]\r\nBcc: x@example.com"),
                        "Example 株式会社",
                        "0123456789abcdef0123"),
                "https://files.example.jp",
                java.time.Duration.ZERO);

        assertThat(edited.subject("passcode-subject.txt", Map.of("code", "123456", "minutes", 10)))
                .isEqualTo("Example 株式会社: 123456 Bcc: x@example.com");
        assertThat(edited.render("passcode.html", Map.of("code", "123456", "minutes", 10)))
                .contains("src=\"https://files.example.jp/brand/logo?v=0123456789ab\"", "Example 株式会社", "123456");
    }
}
