package dev.todoke.startup;

/**
 * {@code todoke.mode}: {@code dev} (the default) runs on embedded defaults (H2, generated keys, the dev
 * outbox); {@code production} refuses to start on any setting that is unsafe for real mail (see {@link
 * ProductionChecks}).
 */
enum Mode {
    DEV,
    PRODUCTION
}
