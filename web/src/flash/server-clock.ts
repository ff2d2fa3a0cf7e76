import { onUnmounted, ref } from 'vue';
import { offsetFrom } from './sale-state';

/**
 * The server's clock as this phone best knows it: every sale carries `serverTime`, and countdowns
 * run against that rather than the phone's own clock, which is often minutes off.
 */
let offsetMs = 0;

export function learnServerTime(serverTime: string): void {
  offsetMs = offsetFrom(serverTime, Date.now());
}

export const serverNow = () => Date.now() + offsetMs;

/** A ref of the server's "now" (ms), refreshed a few times a second while the component lives. */
export function useServerNow(periodMs = 250) {
  const now = ref(serverNow());
  const timer = setInterval(() => (now.value = serverNow()), periodMs);
  onUnmounted(() => clearInterval(timer));
  return now;
}
