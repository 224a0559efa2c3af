-- Sessions of the admin console and the sender portal (Spring Session JDBC, docs/adr/0080): the signed-in
-- user, the OAuth2 sign-in state and the console's CSRF token live here, so every replica sees them.
-- The layout is Spring Session's own (its schema-postgresql.sql); runs unchanged on H2 (MODE=PostgreSQL).
create table spring_session (
    primary_id             char(36)     not null,
    session_id             char(36)     not null,
    creation_time          bigint       not null,
    last_access_time       bigint       not null,
    max_inactive_interval  int          not null,
    expiry_time            bigint       not null,
    principal_name         varchar(320),
    constraint spring_session_pk primary key (primary_id)
);
create unique index spring_session_ix1 on spring_session (session_id);
create index spring_session_ix2 on spring_session (expiry_time);
create index spring_session_ix3 on spring_session (principal_name);

create table spring_session_attributes (
    session_primary_id  char(36)     not null,
    attribute_name      varchar(200) not null,
    attribute_bytes     bytea        not null,
    constraint spring_session_attributes_pk primary key (session_primary_id, attribute_name),
    constraint spring_session_attributes_fk foreign key (session_primary_id)
        references spring_session (primary_id) on delete cascade
);

-- Rate limit buckets now carry the limiter's name in their key ("ip:..." for requests, "login:..." for
-- admin sign-in failures). Buckets are transient: the old unprefixed ones are simply dropped.
delete from rate_limit;
