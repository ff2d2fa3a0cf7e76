import { AppError } from '../../platform/errors';

/**
 * At most `max` images in the pipeline at once, at most `queue` waiting; beyond that the upload
 * is refused with IMAGE_PIPELINE_BUSY instead of piling decoded photos up in memory.
 */
export function createSlots(max: number, queue: number) {
  let busy = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else busy--;
  };
  return {
    async run<T>(fn: () => Promise<T>): Promise<T> {
      if (busy < max) busy++;
      else if (waiting.length < queue) await new Promise<void>((resolve) => waiting.push(resolve));
      else throw new AppError('IMAGE_PIPELINE_BUSY');
      try {
        return await fn();
      } finally {
        release();
      }
    },
    get busy() {
      return busy;
    },
    get waiting() {
      return waiting.length;
    },
  };
}
