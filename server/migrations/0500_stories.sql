-- Product stories (图文): written once, rendered per platform, reviewed before they are scheduled.
create table stories (
  id uuid primary key default gen_random_uuid(),
  status text not null default 'draft' check (status in ('draft', 'in_review', 'changes_requested', 'approved')),
  title text not null,
  summary text not null default '',
  author text not null default '',
  -- Sanitised when saved (server/src/stories/story-html.ts): no script, no event handler.
  body_html text not null default '',
  cover_image_id uuid references images (id),
  image_ids uuid[] not null default '{}',
  product_ids uuid[] not null default '{}',
  link_kind text check (link_kind in ('room', 'campaign', 'product')),
  link_id uuid,
  weibo_text text not null default '',
  created_by uuid not null references users (id),
  reviewed_by uuid references users (id),
  review_note text,
  submitted_at timestamptz,
  decided_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check ((link_kind is null) = (link_id is null))
);
create index stories_status_updated on stories (status, updated_at desc);
create index stories_author_updated on stories (created_by, updated_at desc);

-- One story to one account at one time. The status machine is in server/src/publishing/.
create table publications (
  id uuid primary key default gen_random_uuid(),
  story_id uuid not null references stories (id),
  account_id uuid not null references accounts (id),
  channel text not null check (channel in ('sandbox', 'weibo', 'wechat')),
  platform text not null check (platform in ('weibo', 'wechat')),
  wechat_mode text check (wechat_mode in ('publish', 'mass_send')),
  status text not null check (status in ('scheduled', 'publishing', 'submitted', 'unconfirmed', 'published', 'failed', 'parked', 'needs_person', 'cancelled')),
  scheduled_at timestamptz not null,
  -- When the job next acts (attempt, poll, reconciliation); null when nothing waits on time.
  next_attempt_at timestamptz,
  -- Publish calls made; `polls` and `reconciles` count the other calls.
  attempts integer not null default 0,
  polls integer not null default 0,
  reconciles integer not null default 0,
  -- Stable across attempts: the sandbox records once per key, WeChat mass send derives `clientmsgid`.
  idempotency_key text not null unique,
  -- The attribution short link /s/<code>.
  link_code text not null unique,
  -- The variant as first sent, kept so that every later attempt and reconciliation sees the same content.
  variant jsonb,
  checkpoint jsonb not null default '{}',
  remote_via text check (remote_via in ('freepublish', 'mass_send')),
  remote_id text,
  remote_url text,
  unconfirmed_posted text check (unconfirmed_posted in ('likely', 'unknown')),
  failure_class text,
  reason_code text,
  reason text,
  -- Set while an attempt runs: past it, the sweeper treats the attempt as lost (unconfirmed).
  attempt_started_at timestamptz,
  lease_until timestamptz,
  published_at timestamptz,
  created_by uuid references users (id),
  created_at timestamptz not null,
  updated_at timestamptz not null
);
-- A story goes to an account once (a cancelled publication does not count).
create unique index publications_story_account on publications (story_id, account_id) where status <> 'cancelled';
create index publications_due on publications (next_attempt_at) where status in ('scheduled', 'parked', 'submitted', 'unconfirmed');
create index publications_leased on publications (lease_until) where status = 'publishing';
create index publications_account_time on publications (account_id, scheduled_at);
create index publications_story on publications (story_id, scheduled_at);
create index publications_scheduled on publications (scheduled_at, id);
create index publications_remote on publications (account_id, remote_via, remote_id) where remote_id is not null;

-- What happened to a publication, for the board's detail view.
create table publication_events (
  id bigserial primary key,
  publication_id uuid not null references publications (id) on delete cascade,
  at timestamptz not null,
  action text not null,
  result text not null,
  code text,
  reason text
);
create index publication_events_publication on publication_events (publication_id, id);

-- Visits through attribution links (`visit`), and buyers the page reported as having come through
-- one (`touch`, POST /api/attribution/touch). `visitor` is a random cookie; `user_id` is known when
-- the visitor was signed in. Only visits are counted as visits; both credit the buyer's orders.
create table link_visits (
  id bigserial primary key,
  publication_id uuid not null references publications (id) on delete cascade,
  kind text not null default 'visit' check (kind in ('visit', 'touch')),
  visitor text not null,
  user_id uuid references users (id) on delete set null,
  at timestamptz not null
);
create index link_visits_publication on link_visits (publication_id);
create index link_visits_user_at on link_visits (user_id, at) where user_id is not null;
create index link_visits_visitor on link_visits (visitor, at);
