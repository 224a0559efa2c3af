-- Admin search over transfers and the policy store (docs/api.md, docs/adr/0090). Runs unchanged on H2
-- (MODE=PostgreSQL) and PostgreSQL.

-- Search keys, filled by Transfers at store time: the envelope sender lowercased and its domain, the
-- decoded subject normalised (NFKC, lowercase). Rows from before V5 get theirs here (subject: lowercase).
alter table message add column sender_key varchar(512);
alter table message add column sender_domain varchar(255);
alter table message add column subject_key varchar(2000);
update message set sender_key = lower(envelope_from),
    sender_domain = case when position('@' in envelope_from) > 0
        then lower(substring(envelope_from from position('@' in envelope_from) + 1)) else '' end,
    subject_key = lower(subject);
create index message_sender_idx on message (sender_key, created_at);
create index message_sender_domain_idx on message (sender_domain, created_at);
create index message_created_idx on message (created_at);
-- The latest expiry a stored policy allowed when the message arrived; null: todoke.links.max-expiry applies.
alter table message add column max_expires_at timestamp with time zone;

alter table link add column recipient_key varchar(512);
alter table link add column recipient_domain varchar(255);
update link set recipient_key = lower(recipient),
    recipient_domain = case when position('@' in recipient) > 0
        then lower(substring(recipient from position('@' in recipient) + 1)) else '' end;
create index link_recipient_key_idx on link (recipient_key, message_id);
create index link_recipient_domain_idx on link (recipient_domain, message_id);

-- Every distinct pair of neighbouring characters of a message's subject_key: a substring search looks
-- up the pairs of its query here (an index lookup per pair), then checks subject_key on the few
-- candidates. Works for Japanese subjects, which have no spaces between words.
create table message_subject_gram (
    gram        varchar(8) not null,
    message_id  uuid       not null references message (id) on delete cascade,
    primary key (gram, message_id)
);
create index message_subject_gram_message_idx on message_subject_gram (message_id);

-- The policy set edited by administrators: one row (id 1). version grows by one with every change and
-- is the ETag; replicas compare it to the version they hold before they use their copy.
create table policy_set (
    id          integer       primary key,
    version     bigint        not null,
    document    varchar(1000000),   -- JSON, null while nobody stored a set (behaviour as configured)
    updated_at  timestamp with time zone,
    updated_by  varchar(255)
);
insert into policy_set (id, version, document, updated_at, updated_by) values (1, 0, null, null, null);

-- Every version of the policy set ever stored (the audit row names the version; this holds the whole of it).
create table policy_history (
    version     bigint        primary key,
    document    varchar(1000000) not null,
    updated_at  timestamp with time zone not null,
    updated_by  varchar(255)
);

-- The OIDC groups of a sender as of their last sign-in, so that group policies apply to their mail.
create table sender_group (
    address     varchar(512) not null,   -- lowercase
    group_name  varchar(255) not null,
    updated_at  timestamp with time zone not null,
    primary key (address, group_name)
);
