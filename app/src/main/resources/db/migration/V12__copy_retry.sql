-- One copy per recipient across crashes for fresh mail (issue 14 item 3, docs/adr/0150).
-- Runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL.
--
-- A message whose copies are on their way names here the key of the mail it came from (SHA-256 over the
-- envelope sender and the raw bytes, without the recipients: the upstream MTA may regroup them on a
-- retry) and the blob (encrypted in the blob store) that holds the tokens its copies carry. A retry of
-- the same mail after some copies were accepted (rows in copy_accepted) finds the message here and sends
-- only the other copies, with the same links. The blob goes once every copy was accepted (context_blob
-- null from then on; the row stays, so that a retry of the whole mail, grouped otherwise, is recognised);
-- otherwise the purger deletes the blob with the message's files. The row goes with the message.
create table copy_retry (
    message_id    uuid          primary key references message (id) on delete cascade,
    message_key   varchar(64)   not null,
    context_blob  varchar(255),
    created_at    timestamp with time zone not null
);
create index copy_retry_key_idx on copy_retry (message_key, created_at);

-- copy_accepted.copy_key now also holds "original:<recipient>" (one row per pass-through recipient).
