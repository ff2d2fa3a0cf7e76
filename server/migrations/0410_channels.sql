-- What the sandbox channel would have sent, with its preview; one row per idempotency key.
create table sandbox_posts (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts (id) on delete cascade,
  idempotency_key text not null,
  platform text not null check (platform in ('weibo', 'wechat')),
  variant jsonb not null,
  preview_html text not null,
  created_at timestamptz not null,
  unique (account_id, idempotency_key)
);

-- WeChat callback events, kept before `success` is answered so that none is lost; WeChat retries
-- three times, so each event is stored once per account and dedupe key.
create table wechat_events (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references accounts (id) on delete cascade,
  dedupe_key text not null,
  event text not null,
  payload jsonb not null,
  received_at timestamptz not null,
  handled_at timestamptz,
  unique (account_id, dedupe_key)
);
create index wechat_events_unhandled on wechat_events (received_at) where handled_at is null;

-- Signed requests already accepted (nonce and timestamp), so that a captured request cannot be
-- replayed inside the freshness window. Rows older than the window are pruned.
create table wechat_callback_nonces (
  account_id uuid not null references accounts (id) on delete cascade,
  nonce text not null,
  ts bigint not null,
  seen_at timestamptz not null,
  primary key (account_id, nonce, ts)
);
