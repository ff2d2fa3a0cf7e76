/**
 * Runs `work` over `items` with at most `limit` in flight (checking forty accounts one by one
 * takes too long; all at once hammers the platforms), reporting progress. Never throws: each
 * item's failure is collected.
 */
export async function runBulk<T, R>(
  items: readonly T[],
  work: (item: T) => Promise<R>,
  opts: { limit?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ ok: { item: T; result: R }[]; failed: { item: T; error: unknown }[] }> {
  const ok: { item: T; result: R }[] = [];
  const failed: { item: T; error: unknown }[] = [];
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        ok.push({ item, result: await work(item) });
      } catch (error) {
        failed.push({ item, error });
      }
      opts.onProgress?.(++done, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.limit ?? 3, items.length) }, lane));
  return { ok, failed };
}
