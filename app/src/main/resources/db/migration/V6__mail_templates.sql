-- Mail templates an administrator edited (docs/admin-console.md, docs/adr/0095). A template without a row
-- here is rendered from its built-in file (templates/mail/<name>); deleting the row resets it.
-- Runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL.
create table mail_template (
    name        varchar(64)    primary key,
    body        varchar(65536) not null,
    updated_at  timestamp with time zone not null,
    updated_by  varchar(512)
);

-- The organisation shown in mail (one row, id 1): its name and an optional small logo (PNG, JPEG or GIF),
-- served at /brand/logo.
create table mail_branding (
    id            integer      primary key,
    organisation  varchar(200) not null,
    logo          bytea,
    logo_type     varchar(32),
    logo_sha256   varchar(64),
    updated_at    timestamp with time zone not null,
    updated_by    varchar(512)
);
