-- State that several replicas share (docs/adr/0060). Runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL.

-- Per-IP request buckets of the web rate limit: one token bucket per key, updated in one statement.
create table rate_limit (
    bucket_key  varchar(128)     primary key,
    tokens      double precision not null,
    updated_at  bigint           not null   -- epoch milliseconds of the last change
);
create index rate_limit_updated_idx on rate_limit (updated_at);

-- Scheduled jobs: a replica runs a job only after moving its row's locked_until past now.
create table job_lock (
    name          varchar(64)  primary key,
    locked_until  timestamp with time zone not null,
    locked_at     timestamp with time zone not null,
    locked_by     varchar(255) not null
);
