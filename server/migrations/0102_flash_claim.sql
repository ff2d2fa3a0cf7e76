-- Writes flash-sale reservations: each an order in status 'reserved' with one item, priced and
-- named from the sale's row. With p_guard, only while the sale's row says the claim (at its
-- created time) was inside the window. Conflicts (same id, or the buyer's key already used)
-- write nothing. Answers the ids written. Both stock ledgers write through this one statement.
create function flash_insert_reservations(
  p_ids uuid[], p_sales uuid[], p_buyers uuid[], p_keys text[], p_quantities int[], p_expires timestamptz[], p_created timestamptz[], p_guard boolean
) returns table (id uuid) language sql as $$
  with i as (
    select * from unnest(p_ids, p_sales, p_buyers, p_keys, p_quantities, p_expires, p_created)
      as t(id, sale_id, buyer_id, key, quantity, expires_at, created_at)),
  o as (
    insert into orders (id, buyer_id, room_id, sale_id, status, quantity, total_fen, idempotency_key, expires_at, created_at, updated_at)
    select i.id, i.buyer_id, s.room_id, i.sale_id, 'reserved', i.quantity, i.quantity * s.price_fen, i.key, i.expires_at, i.created_at, i.created_at
    from i join flash_sales s on s.id = i.sale_id
    where not p_guard or (s.status <> 'ended' and s.starts_at <= i.created_at and i.created_at < s.ends_at)
    on conflict do nothing
    returning orders.id, orders.sale_id, orders.quantity),
  it as (
    insert into order_items (order_id, sku_id, product_name, sku_name, quantity, unit_price_fen)
    select o.id, s.sku_id, s.product_name, s.sku_name, o.quantity, s.price_fen from o join flash_sales s on s.id = o.sale_id)
  select o.id from o
$$;

-- The SQL stock ledger's claim: one call, one transaction, mirroring the Redis ledger's Lua
-- script check for check (replay, window, sold out, limit, stock). The counter row is locked
-- only for a claim that may succeed, and each statement after the lock sees every claim that
-- held it before. Outcome 'ok', 'replay', or a refusal's error code with up to two numbers.
create function flash_claim(p_sale uuid, p_buyer uuid, p_key text, p_quantity int, p_now timestamptz, p_id uuid)
returns table (outcome text, reservation_id uuid, quantity int, unit_price_fen int, expires_at timestamptz, n1 int, n2 int)
language plpgsql as $$
declare
  s record;
  prior record;
  rem int;
  held int;
  written int;
begin
  for pass in 1..2 loop
    select o.id, o.sale_id, o.quantity, o.total_fen, o.expires_at into prior from orders o where o.buyer_id = p_buyer and o.idempotency_key = p_key;
    if found then
      if prior.sale_id is distinct from p_sale or prior.quantity <> p_quantity then
        return query select 'FLASH_SALE_IDEMPOTENCY_MISMATCH'::text, null::uuid, null::int, null::int, null::timestamptz, null::int, null::int;
      else
        return query select 'replay'::text, prior.id, prior.quantity, prior.total_fen / prior.quantity, prior.expires_at, null::int, null::int;
      end if;
      return;
    end if;
    exit when pass = 2;
    select fs.status, fs.starts_at, fs.ends_at, fs.per_buyer_limit, fs.payment_window_seconds, fs.price_fen, st.remaining into s
      from flash_sale_stock st join flash_sales fs on fs.id = st.sale_id where st.sale_id = p_sale;
    if not found then
      return query select 'FLASH_SALE_NOT_FOUND'::text, null::uuid, null::int, null::int, null::timestamptz, null::int, null::int;
      return;
    end if;
    if s.status = 'ended' or (s.starts_at is not null and p_now >= s.ends_at) then
      return query select 'FLASH_SALE_ENDED'::text, null::uuid, null::int, null::int, null::timestamptz, null::int, null::int;
      return;
    end if;
    if s.starts_at is null or p_now < s.starts_at then
      return query select 'FLASH_SALE_NOT_STARTED'::text, null::uuid, null::int, null::int, null::timestamptz, null::int, null::int;
      return;
    end if;
    -- Sold out needs no lock: a committed zero is the answer at this moment.
    if s.remaining = 0 then
      return query select 'FLASH_SALE_SOLD_OUT'::text, null::uuid, null::int, null::int, null::timestamptz, 0, null::int;
      return;
    end if;
    select st.remaining into rem from flash_sale_stock st where st.sale_id = p_sale for update;
    -- Loop once more to look for the key again: a claim with it may have committed while we waited.
  end loop;
  if rem = 0 then
    return query select 'FLASH_SALE_SOLD_OUT'::text, null::uuid, null::int, null::int, null::timestamptz, 0, null::int;
    return;
  end if;
  select coalesce(sum(o.quantity), 0)::int into held from orders o
    where o.sale_id = p_sale and o.buyer_id = p_buyer and o.status in ('reserved', 'paid', 'shipped', 'delivered', 'completed', 'refunded');
  if held + p_quantity > s.per_buyer_limit then
    return query select 'FLASH_SALE_LIMIT_EXCEEDED'::text, null::uuid, null::int, null::int, null::timestamptz, s.per_buyer_limit, held;
    return;
  end if;
  if rem < p_quantity then
    return query select 'FLASH_SALE_INSUFFICIENT_STOCK'::text, null::uuid, null::int, null::int, null::timestamptz, rem, null::int;
    return;
  end if;
  update flash_sale_stock set remaining = remaining - p_quantity, reserved = reserved + p_quantity where sale_id = p_sale;
  select count(*) into written from flash_insert_reservations(array[p_id], array[p_sale], array[p_buyer], array[p_key], array[p_quantity],
    array[p_now + make_interval(secs => s.payment_window_seconds)], array[p_now], false);
  if written = 0 then
    -- The buyer's key was taken by a claim on another sale that committed meanwhile: undo all.
    raise exception 'idempotency key taken' using errcode = 'unique_violation';
  end if;
  return query select 'ok'::text, p_id, p_quantity, s.price_fen, p_now + make_interval(secs => s.payment_window_seconds), null::int, null::int;
end
$$;
