-- Hold (一時保留) and approval (上長承認), docs/hold-and-approval.md and docs/adr/0100. Runs unchanged on
-- H2 (MODE=PostgreSQL) and PostgreSQL.

-- message.state gains: held | approval | releasing | cancelled | rejected (all fit varchar(16); widened to
-- 32 so that a later state never needs this again).
alter table message alter column state set data type varchar(32);

-- One row per held message (state held, approval or releasing in message). The original bytes and the
-- tokens the release needs are blobs in the (encrypted) blob store; only hashes are in the database.
create table held_mail (
    message_id           uuid primary key references message (id) on delete cascade,
    kind                 varchar(16)   not null,  -- hold | approval | self-check
    envelope_from        varchar(512)  not null,
    recipients           varchar(65535) not null, -- the envelope recipients, one per line, in order
    client_address       varchar(64),
    fingerprint          varchar(64),
    original_blob        varchar(255)  not null,
    context_blob         varchar(255)  not null,
    reason               varchar(1000),
    held_at              timestamp with time zone not null,
    release_at           timestamp with time zone,  -- null: waits for a decision (approval, self-check)
    decide_by            timestamp with time zone,  -- approval or self-check timeout
    remind_at            timestamp with time zone,  -- next reminder to the approver
    approver             varchar(512),
    approval_token_hash  varchar(64)   unique,
    attempts             integer       not null default 0,
    next_attempt_at      timestamp with time zone,
    first_failure_at     timestamp with time zone,
    claimed_until        timestamp with time zone,
    claimed_by           varchar(255),
    notice_due           varchar(32),               -- a mail to the sender still to send: rejected | release-failed | expired
    decided_by           varchar(512)
);
create index held_mail_release_idx on held_mail (release_at);
create index held_mail_decide_idx on held_mail (decide_by);

-- One row per copy of a released message that the next hop accepted (kill -9 safety: a release that
-- is retried skips these; at most one duplicate per crash, between acceptance and this row).
create table copy_accepted (
    message_id   uuid         not null references message (id) on delete cascade,
    copy_key     varchar(600) not null,  -- "original", "copy:<recipient>" or "receipt"
    accepted_at  timestamp with time zone not null,
    primary key (message_id, copy_key)
);
