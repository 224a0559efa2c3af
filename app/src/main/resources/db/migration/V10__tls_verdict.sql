-- TLS verdicts of recipient domains, shared by every replica (docs/tls-check.md, docs/adr/0120).
-- Runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL. A cache of public facts, not state: a row may be
-- replaced at any time by a newer check, and losing the table loses nothing but time.
create table tls_verdict (
    domain      varchar(253) primary key,       -- lower case, IDNs in ASCII
    verdict     varchar(16)  not null,           -- tls-verified, tls, no-tls, unreachable, no-mx
    detail      text         not null,           -- the whole report as JSON (as the admin API shows it)
    checked_at  timestamp with time zone not null
);
create index tls_verdict_checked_idx on tls_verdict (checked_at);
