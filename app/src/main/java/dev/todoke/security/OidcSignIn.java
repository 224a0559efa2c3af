package dev.todoke.security;

/** The single sign-on client registration: its id in {@code spring.security.oauth2.client.registration.*}. */
final class OidcSignIn {

    /** Sign-in starts at {@code /oauth2/authorization/todoke}. */
    static final String REGISTRATION = "todoke";

    private OidcSignIn() {}
}
