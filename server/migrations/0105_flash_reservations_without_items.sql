-- A flash-sale reservation no longer writes an order_items row. Its one item is the sale's: the
-- sku, product and sku names and price are copied onto the sale row when it is made and never
-- change (orders.repo.ts reads them from there when an order has no order_items rows). The row
-- was a quarter of the database's work per claim: one heap row, two index entries and two
-- foreign-key checks (bench/flash-claims/row-cost.ts, docs/benchmarks.md). Rows written before
-- this migration stay, and are read as before. Same contract as 0103 otherwise.
create or replace function flash_insert_reservations(
  p_ids uuid[], p_sales uuid[], p_buyers uuid[], p_keys text[], p_quantities int[], p_expires timestamptz[], p_created timestamptz[], p_guard boolean
) returns table (id uuid) language plpgsql as $$
begin
  if p_guard then
    -- As in flash_claim: a sale's end waits for the rows being written, and rows that wait for
    -- an end read the sale again (this lock, then a fresh snapshot for the statement below).
    perform 1 from flash_sales fs where fs.id = any(p_sales) for share;
  end if;
  return query
  with i as (
    select * from unnest(p_ids, p_sales, p_buyers, p_keys, p_quantities, p_expires, p_created)
      as t(id, sale_id, buyer_id, key, quantity, expires_at, created_at))
  insert into orders as x (id, buyer_id, room_id, sale_id, status, quantity, total_fen, idempotency_key, expires_at, created_at, updated_at)
  select i.id, i.buyer_id, s.room_id, i.sale_id, 'reserved', i.quantity, i.quantity * s.price_fen, i.key, i.expires_at, i.created_at, i.created_at
  from i join flash_sales s on s.id = i.sale_id
  where not p_guard or (s.status <> 'ended' and s.starts_at <= i.created_at and i.created_at < s.ends_at)
  on conflict do nothing
  returning x.id;
end
$$;
