-- Users, sign-in codes and sessions.
create table users (
  id uuid primary key default gen_random_uuid(),
  phone text not null unique,
  display_name text not null,
  roles text[] not null default '{viewer}',
  locale text not null default 'zh-CN' check (locale in ('zh-CN', 'en')),
  created_at timestamptz not null default now()
);

-- One-time sign-in codes: stored hashed, single-use, expiring, with a bounded number of attempts.
create table auth_codes (
  id uuid primary key default gen_random_uuid(),
  phone text not null,
  code_hash text not null,
  ip text not null,
  attempts integer not null default 0,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null
);
create index auth_codes_phone_created on auth_codes (phone, created_at desc);
create index auth_codes_ip_created on auth_codes (ip, created_at desc);

-- Sessions: the client holds a random token; only its hash is stored.
create table sessions (
  token_hash text primary key,
  user_id uuid not null references users (id) on delete cascade,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
create index sessions_user on sessions (user_id);

-- Where produce comes from: counties (with their regional public brand), villages, producers.
create table counties (
  id text primary key,
  name_zh text not null,
  name_en text not null,
  province_zh text not null,
  brand_zh text not null
);

create table villages (
  id uuid primary key default gen_random_uuid(),
  county_id text not null references counties (id),
  name_zh text not null,
  name_en text not null
);

create table producers (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('household', 'cooperative')),
  name text not null,
  county_id text not null references counties (id),
  village_id uuid references villages (id),
  -- A registered low-income household (建档立卡户): income attributed to it is reported.
  low_income boolean not null default false,
  -- The cooperative a household pools its stock with, if any.
  cooperative_id uuid references producers (id),
  created_at timestamptz not null default now()
);
create index producers_cooperative on producers (cooperative_id);

-- Users who may sell a producer's products (a cooperative's hosts, a household's own phone).
create table producer_members (
  producer_id uuid not null references producers (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  primary key (producer_id, user_id)
);

create table products (
  id uuid primary key default gen_random_uuid(),
  producer_id uuid not null references producers (id),
  name text not null,
  description text not null default '',
  origin text not null default '',
  photos text[] not null default '{}',
  created_at timestamptz not null default now()
);
create index products_producer on products (producer_id);

create table skus (
  id uuid primary key default gen_random_uuid(),
  product_id uuid not null references products (id) on delete cascade,
  name text not null,
  price_fen integer not null check (price_fen >= 0),
  weight_grams integer not null check (weight_grams >= 0),
  stock integer not null default 0 check (stock >= 0),
  position integer not null default 0
);
create index skus_product on skus (product_id);

-- Live rooms.
create table rooms (
  id uuid primary key default gen_random_uuid(),
  host_id uuid not null references users (id),
  title text not null,
  description text not null default '',
  status text not null default 'scheduled' check (status in ('scheduled', 'live', 'closed')),
  scheduled_at timestamptz,
  opened_at timestamptz,
  closed_at timestamptz,
  pinned_product_id uuid references products (id),
  cover_url text,
  like_count bigint not null default 0,
  banned_words text[] not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index rooms_status on rooms (status, scheduled_at);
create index rooms_host on rooms (host_id, created_at desc);

create table room_products (
  room_id uuid not null references rooms (id) on delete cascade,
  product_id uuid not null references products (id),
  position integer not null,
  primary key (room_id, product_id)
);

create table room_moderators (
  room_id uuid not null references rooms (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  primary key (room_id, user_id)
);

create table room_mutes (
  room_id uuid not null references rooms (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  until timestamptz not null,
  muted_by uuid not null references users (id),
  primary key (room_id, user_id)
);

-- People the host or a moderator removed: they cannot join again.
create table room_bans (
  room_id uuid not null references rooms (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  banned_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  primary key (room_id, user_id)
);

create table chat_messages (
  id uuid primary key default gen_random_uuid(),
  room_id uuid not null references rooms (id) on delete cascade,
  user_id uuid not null references users (id),
  text text not null,
  created_at timestamptz not null,
  removed_at timestamptz,
  removed_by uuid references users (id)
);
create index chat_messages_room_created on chat_messages (room_id, created_at desc);
