-- Flash sales (秒杀): one sku in one room, at a price, a limited quantity, a per-buyer limit and a window.
create table flash_sales (
  id uuid primary key default gen_random_uuid(),
  room_id uuid not null references rooms (id),
  sku_id uuid not null references skus (id),
  host_id uuid not null references users (id),
  -- What the card shows, kept as it was when the sale was made.
  product_id uuid not null references products (id),
  product_name text not null,
  sku_name text not null,
  photo text,
  weight_grams integer not null,
  list_price_fen integer not null,
  price_fen integer not null check (price_fen > 0),
  quantity integer not null check (quantity > 0),
  per_buyer_limit integer not null check (per_buyer_limit > 0 and per_buyer_limit <= quantity),
  duration_seconds integer not null check (duration_seconds > 0),
  payment_window_seconds integer not null check (payment_window_seconds > 0),
  -- draft: hidden; announced: shown to the room; ended. Countdown and live follow from the times.
  status text not null default 'draft' check (status in ('draft', 'announced', 'ended')),
  starts_at timestamptz,
  ends_at timestamptz,
  ended_at timestamptz,
  end_reason text check (end_reason in ('sold_out', 'time', 'host', 'room_closed')),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check ((starts_at is null) = (ends_at is null) and (starts_at is null or ends_at > starts_at)),
  check ((status = 'ended') = (ended_at is not null)),
  check (status <> 'draft' or starts_at is null)
);
create index flash_sales_room on flash_sales (room_id, created_at desc);
create index flash_sales_host on flash_sales (host_id, created_at desc);
create index flash_sales_open_ends on flash_sales (ends_at) where status <> 'ended';

-- The SQL stock ledger's counters (the embedded default; the Redis ledger keeps its own).
-- Claims lock this row; the check makes overselling impossible, not merely unlikely.
create table flash_sale_stock (
  sale_id uuid primary key references flash_sales (id) on delete cascade,
  quantity integer not null,
  remaining integer not null check (remaining >= 0),
  reserved integer not null check (reserved >= 0),
  sold integer not null check (sold >= 0),
  check (remaining + reserved + sold = quantity)
);
