-- Zero-knowledge transfers (docs/zero-knowledge.md, docs/adr/0140). Runs unchanged on H2 (MODE=PostgreSQL)
-- and PostgreSQL. A message in this mode has its files encrypted under a data key the server does not
-- keep; only the data key wrapped under a key derived from each recipient's link secret is stored here.
-- The link secret itself is never stored: it travels in the link's fragment (#k=...) only.

-- The messages stored in the zero-knowledge mode.
create table zk_message (
    message_id  uuid primary key references message (id) on delete cascade
);

-- One wrapped data key per link (nonce | AES-256-GCM of the data key, base64url, 60 bytes). Revocation
-- deletes the row: even a copy of the link with its fragment then opens nothing.
create table zk_link_key (
    link_id      uuid primary key references link (id) on delete cascade,
    message_id   uuid        not null references zk_message (message_id) on delete cascade,
    wrapped_key  varchar(96) not null
);
create index zk_link_key_message_idx on zk_link_key (message_id);
