package dev.todoke.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class CanonicalPathTest {

    @Test
    void canonicalWhenSpelledDifferentlyThenTheRoutedPath() {
        assertThat(CanonicalPath.canonical("/api/v1/d/abc")).isEqualTo("/api/v1/d/abc");
        assertThat(CanonicalPath.canonical("/api;x/v1/d/abc")).isEqualTo("/api/v1/d/abc");
        assertThat(CanonicalPath.canonical("/%61pi/v1/d/abc")).isEqualTo("/api/v1/d/abc");
        assertThat(CanonicalPath.canonical("//api//v1/d/abc")).isEqualTo("/api/v1/d/abc");
        assertThat(CanonicalPath.canonical("/x/../api/./v1/d/abc")).isEqualTo("/api/v1/d/abc");
        assertThat(CanonicalPath.canonical("/../../api/v1")).isEqualTo("/api/v1");
        assertThat(CanonicalPath.canonical("/d/a+b%zz/")).isEqualTo("/d/a+b%zz/");
        assertThat(CanonicalPath.canonical("")).isEqualTo("/");
    }

    @Test
    void ofWhenContextPathThenWithoutIt() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/todoke/%61pi/v1");
        request.setContextPath("/todoke");

        assertThat(CanonicalPath.of(request)).isEqualTo("/api/v1");
    }
}
