package dev.todoke.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class AdminAuthFilterTest {

    private static MockHttpServletResponse run(AdminProperties properties, String authorization) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/admin/tls/example.com");
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        new AdminAuthFilter(properties).doFilter(request, response, new MockFilterChain());
        return response;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void filterWhenNoPasswordConfiguredThen503EvenWithCredentials() throws Exception {
        MockHttpServletResponse response = run(new AdminProperties("admin", null), basic("admin", ""));

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getContentType()).startsWith("application/json");
        assertThat(response.getContentAsString())
                .isEqualTo("{\"error\":\"The admin API is disabled: set todoke.admin.password to enable it.\"}");
    }

    @Test
    void filterWhenCorrectCredentialsThenPassesOn() throws Exception {
        MockHttpServletResponse response =
                run(new AdminProperties("admin", "s3cret:with:colons"), basic("admin", "s3cret:with:colons"));

        assertThat(response.getStatus()).isEqualTo(200);
    }

    @Test
    void filterWhenNonAsciiPasswordThenUtf8Compared() throws Exception {
        assertThat(run(new AdminProperties("管理者", "パスワード"), basic("管理者", "パスワード"))
                        .getStatus())
                .isEqualTo(200);
    }

    @Test
    void filterWhenMissingMalformedOrWrongCredentialsThen401() throws Exception {
        AdminProperties properties = new AdminProperties("admin", "s3cret");
        for (String header : new String[] {
            null,
            "Bearer abc",
            "Basic !!!notbase64",
            "Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes()),
            basic("admin", "wrong"),
            basic("Admin", "s3cret"),
            basic("admin", "")
        }) {
            MockHttpServletResponse response = run(properties, header);
            assertThat(response.getStatus()).as(String.valueOf(header)).isEqualTo(401);
            assertThat(response.getHeader("WWW-Authenticate")).startsWith("Basic realm=");
            assertThat(response.getContentAsString()).startsWith("{\"error\":");
        }
    }

    @Test
    void toStringWhenPasswordSetThenNotShown() {
        assertThat(new AdminProperties("admin", "s3cret").toString()).doesNotContain("s3cret");
    }
}
