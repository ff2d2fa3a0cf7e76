-- A flash sale takes its units from the sku's stock when it is made, so two sales cannot both
-- sell the same boxes; what a sale did not sell goes back to the sku after it ends.
-- `stock_allocated` is false for sales made before this migration, whose units were never taken.
alter table flash_sales
  add column stock_allocated boolean not null default false,
  add column returned_units integer not null default 0 check (returned_units >= 0 and returned_units <= quantity);

-- Both ways of writing reservations take a share lock on the sale's row (flash_insert_reservations
-- for a guarded batch since 0103, flash_claim below), which its end (an update) and
-- flash_return_unsold (for update) wait for: a reservation either commits before the units are
-- counted, or sees the sale ended and is refused. Without it, a row written while the sale ended
-- could be counted neither as held nor as returned, and its units given back to the sku as well.

create or replace function flash_claim(p_sale uuid, p_buyer uuid, p_key text, p_quantity int, p_now timestamptz, p_id uuid)
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
  -- Holds off the sale's end, and so the return of its unsold units, until this claim commits; an
  -- end that committed first (read again after waiting for its lock) refuses the claim.
  perform 1 from flash_sales fs where fs.id = p_sale and fs.status <> 'ended' for share;
  if not found then
    return query select 'FLASH_SALE_ENDED'::text, null::uuid, null::int, null::int, null::timestamptz, null::int, null::int;
    return;
  end if;
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

-- Gives an ended sale's unsold units back to its sku, once: the units neither held by a
-- reservation nor sold, less what was given back before. Safe to call at any time and again
-- (after the end, after a reservation of the ended sale expires or is cancelled, from
-- reconciliation). Its lock on the sale's row waits for reservations still being written (see
-- above) and orders calls for the same sale. Answers the units given back now.
create function flash_return_unsold(p_sale uuid) returns integer language plpgsql as $$
declare
  s record;
  taken int;
  back int;
begin
  select id, sku_id, quantity, returned_units into s from flash_sales
    where id = p_sale and status = 'ended' and stock_allocated for update;
  if not found then
    return 0;
  end if;
  select coalesce(sum(o.quantity), 0)::int into taken from orders o
    where o.sale_id = p_sale and o.status in ('reserved', 'paid', 'shipped', 'delivered', 'completed', 'refunded');
  back := s.quantity - taken - s.returned_units;
  if back <= 0 then
    return 0;
  end if;
  update flash_sales set returned_units = returned_units + back where id = p_sale;
  update skus set stock = stock + back where id = s.sku_id;
  return back;
end
$$;
