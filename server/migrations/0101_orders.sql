-- Orders. A flash-sale reservation is an order in status 'reserved' with a payment deadline;
-- payment, expiry or cancellation moves it on. The row is what makes a reservation durable.
create table orders (
  id uuid primary key default gen_random_uuid(),
  buyer_id uuid not null references users (id),
  room_id uuid references rooms (id),
  sale_id uuid references flash_sales (id),
  status text not null check (status in ('reserved', 'paid', 'shipped', 'delivered', 'completed', 'cancelled', 'expired', 'refunded')),
  quantity integer not null check (quantity > 0),
  total_fen integer not null check (total_fen >= 0),
  -- The client's key for this purchase; a retry with the same key finds this row.
  idempotency_key text,
  expires_at timestamptz,
  address jsonb,
  courier text,
  tracking_no text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  paid_at timestamptz,
  shipped_at timestamptz,
  delivered_at timestamptz,
  completed_at timestamptz,
  closed_at timestamptz
);
create unique index orders_buyer_key on orders (buyer_id, idempotency_key) where idempotency_key is not null;
create index orders_sale_buyer on orders (sale_id, buyer_id);
create index orders_reserved_expiry on orders (sale_id, expires_at) where status = 'reserved';
create index orders_buyer_created on orders (buyer_id, created_at desc);

create table order_items (
  id uuid primary key default gen_random_uuid(),
  order_id uuid not null references orders (id) on delete cascade,
  sku_id uuid not null references skus (id),
  product_name text not null,
  sku_name text not null,
  quantity integer not null check (quantity > 0),
  unit_price_fen integer not null check (unit_price_fen >= 0)
);
create index order_items_order on order_items (order_id);

-- Payments through a provider (the sandbox by default). One order may see several attempts.
create table payments (
  id uuid primary key default gen_random_uuid(),
  order_id uuid not null references orders (id),
  provider text not null,
  amount_fen integer not null check (amount_fen >= 0),
  status text not null check (status in ('pending', 'succeeded', 'failed', 'refunded')),
  note text,
  created_at timestamptz not null,
  completed_at timestamptz
);
create index payments_order on payments (order_id, created_at desc);
-- At most one attempt in flight per order.
create unique index payments_one_pending on payments (order_id) where status = 'pending';

-- Notifications received from providers, by their id and nonce: a replay is refused.
create table payment_notifications (
  provider text not null,
  nonce text not null,
  notification_id text not null,
  payment_id uuid not null references payments (id),
  received_at timestamptz not null,
  primary key (provider, nonce)
);
