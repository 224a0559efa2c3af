-- Hold and approval, issue 12 continued (docs/hold-and-approval.md, docs/adr/0170). Runs unchanged on H2
-- (MODE=PostgreSQL) and PostgreSQL.

-- The sender's manager as last seen in their OIDC sign-in (claim todoke.admin.oidc.manager-claim): the
-- approver of their mail when no rule names one. Replaced at every sign-in, removed when the claim is gone.
create table sender_manager (
    address     varchar(512) primary key,    -- lowercase, the verified email claim
    manager     varchar(512) not null,        -- lowercase mail address
    updated_at  timestamp with time zone not null
);

-- The hold mail listed a recipient whose TLS verdict was not known yet: the sender gets one update once
-- the verdicts are known (at most once per message; cleared when sent or given up).
alter table held_mail add column tls_pending boolean default false not null;
