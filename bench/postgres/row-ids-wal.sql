-- Row ids and PostgreSQL's write-ahead log (ADR 0199, docs/benchmarks.md "Row ids"):
-- WAL bytes per inserted row into a table of 1,000,000 rows keyed, and indexed, on random UUIDs
-- (version 4, as Todoke's rows were until ADR 0199) against time-ordered ones (version 7, what
-- dev.todoke.common.RowIds makes), each measured right after a checkpoint, as a server in production
-- runs between checkpoints. It creates and drops its own database, walv7.
--
--   psql -h 127.0.0.1 -U postgres -d postgres -f bench/postgres/row-ids-wal.sql
--
\set QUIET on
drop database if exists walv7;
create database walv7;
\c walv7
-- ordered as a version 7 UUID: the first 48 bits of a random one replaced by the Unix time in ms
create or replace function v7() returns uuid language sql volatile as $$
  select encode(overlay(uuid_send(gen_random_uuid()) placing substring(int8send((extract(epoch from clock_timestamp())*1000)::bigint) from 3) from 1 for 6), 'hex')::uuid $$;
create table r (id uuid primary key, message_id uuid not null, at timestamptz not null default now(), body text);
create index r_m on r (message_id);
create table s (id uuid primary key, message_id uuid not null, at timestamptz not null default now(), body text);
create index s_m on s (message_id);
insert into r select gen_random_uuid(), gen_random_uuid(), now(), repeat('x', 120) from generate_series(1, 1000000);
insert into s select v7(), v7(), now(), repeat('x', 120) from generate_series(1, 1000000);
vacuum analyze r; vacuum analyze s;
\set QUIET off
checkpoint;
select pg_current_wal_lsn() as l0 \gset
do $$ begin for i in 1..20000 loop insert into r values (gen_random_uuid(), gen_random_uuid(), now(), repeat('x',120)); end loop; end $$;
select pg_current_wal_lsn() as l1 \gset
checkpoint;
select pg_current_wal_lsn() as l2 \gset
do $$ begin for i in 1..20000 loop insert into s values (v7(), v7(), now(), repeat('x',120)); end loop; end $$;
select pg_current_wal_lsn() as l3 \gset
select pg_wal_lsn_diff(:'l1', :'l0') / 20000 as random_wal_bytes_per_row, pg_wal_lsn_diff(:'l3', :'l2') / 20000 as v7_wal_bytes_per_row;
select pg_size_pretty(pg_relation_size('r_m')) r_m, pg_size_pretty(pg_relation_size('s_m')) s_m, pg_size_pretty(pg_relation_size('r_pkey')) r_pk, pg_size_pretty(pg_relation_size('s_pkey')) s_pk;
\c postgres
drop database walv7;
