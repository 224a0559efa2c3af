-- The audit log's hash chain (docs/adr/0085): who did it, and each row's chain value
-- HMAC-SHA256(todoke.audit.key, previous chain value || the row's canonical encoding), in hex.
-- Rows written before this migration keep a null chain: verification skips them only as a leading prefix.
alter table audit_event add column actor varchar(600);
alter table audit_event add column chain varchar(64);
-- Policy changes carry their before and after as JSON: more room than free text.
alter table audit_event alter column detail set data type varchar(65536);

-- The chain head: exactly one row (id 1). Every insert into audit_event locks it (select ... for update)
-- in the inserting transaction, so the chain stays linear across threads and replicas.
create table audit_chain (
    id          int primary key,
    last_id     bigint       not null,
    last_chain  varchar(64)  not null
);
insert into audit_chain (id, last_id, last_chain) select 1, coalesce(max(id), 0), '' from audit_event;

-- Filters of GET /api/v1/admin/audit, newest first (order by id desc); time filters use audit_event_at_idx.
create index audit_event_actor_id_idx on audit_event (actor, id);
create index audit_event_kind_id_idx on audit_event (kind, id);
create index audit_event_message_id_idx on audit_event (message_id, id);
drop index audit_event_message_idx;
