-- A flash sale takes its units from the sku's stock when it is made, so two sales cannot both
-- sell the same boxes; what a sale did not sell goes back to the sku after it ends.
-- `stock_allocated` is false for sales made before this migration, whose units were never taken.
alter table flash_sales
  add column stock_allocated boolean not null default false,
  add column returned_units integer not null default 0 check (returned_units >= 0 and returned_units <= quantity);

-- Gives an ended sale's unsold units back to its sku, once: the units neither held by a
-- reservation nor sold, less what was given back before. Safe to call at any time and again
-- (after the end, after a reservation of the ended sale expires or is cancelled, from
-- reconciliation). The sale's row lock waits for reservation inserts still committing (they hold
-- a key-share lock on it) and orders calls for the same sale. Answers the units given back now.
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
