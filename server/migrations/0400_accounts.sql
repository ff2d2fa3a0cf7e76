-- Publishing accounts (Weibo users, WeChat Official Accounts, sandbox accounts) and their groups.
create table account_groups (
  id uuid primary key default gen_random_uuid(),
  name text not null unique,
  created_at timestamptz not null default now()
);

create table accounts (
  id uuid primary key default gen_random_uuid(),
  channel text not null check (channel in ('sandbox', 'weibo', 'wechat')),
  name text not null,
  -- Weibo uid or WeChat app id (not secret); null for sandbox accounts.
  remote_id text,
  wechat_kind text check (wechat_kind in ('subscription', 'service')),
  imitates text check (imitates in ('weibo', 'wechat')),
  status text not null default 'active' check (status in ('active', 'needs_reauth', 'disabled')),
  status_code text,
  status_reason text,
  status_at timestamptz,
  -- AES-256-GCM envelope of a JSON object (app secret, access token, callback token); never plaintext.
  credentials text,
  token_expires_at timestamptz,
  -- Weibo wants the operator's real IP (`rip`) with each post: the IP that connected the account.
  operator_ip text,
  last_error_code text,
  last_error_class text,
  last_error_message text,
  last_error_at timestamptz,
  last_success_at timestamptz,
  created_by uuid references users (id),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  archived_at timestamptz,
  check ((channel = 'sandbox') = (remote_id is null)),
  check ((channel = 'sandbox') = (imitates is not null)),
  check ((channel = 'wechat') = (wechat_kind is not null))
);
-- One live FarmLive account per platform account.
create unique index accounts_remote on accounts (channel, remote_id) where archived_at is null;
create index accounts_status on accounts (status) where archived_at is null;

create table account_group_members (
  group_id uuid not null references account_groups (id) on delete cascade,
  account_id uuid not null references accounts (id) on delete cascade,
  primary key (group_id, account_id)
);
create index account_group_members_account on account_group_members (account_id);

-- Calls and posts per account, for the platforms' windows (Weibo 30 posts an hour, 100 calls a day;
-- WeChat mass sends a day or a month). Rows older than the longest window are pruned on insert.
create table account_usage (
  account_id uuid not null references accounts (id) on delete cascade,
  kind text not null check (kind in ('weibo_call', 'weibo_post', 'wechat_mass')),
  at timestamptz not null
);
create index account_usage_window on account_usage (account_id, kind, at);

-- Weibo OAuth `state`: stored hashed, single use, short-lived, bound to the person who started it.
create table oauth_states (
  state_hash text primary key,
  user_id uuid not null references users (id) on delete cascade,
  account_id uuid references accounts (id) on delete cascade,
  name text,
  group_ids uuid[] not null default '{}',
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null
);
