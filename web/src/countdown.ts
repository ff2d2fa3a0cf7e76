import { onUnmounted, ref } from 'vue';

/** Seconds left until something may be done again (a resend); 0 when it may. */
export function useCountdown() {
  const seconds = ref(0);
  let timer: ReturnType<typeof setInterval> | null = null;
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };
  function start(from: number) {
    stop();
    seconds.value = Math.max(0, Math.ceil(from));
    if (seconds.value === 0) return;
    // Counted against the wall clock: a phone that sleeps the tab still ends on time.
    const end = Date.now() + seconds.value * 1000;
    timer = setInterval(() => {
      seconds.value = Math.max(0, Math.ceil((end - Date.now()) / 1000));
      if (seconds.value === 0) stop();
    }, 250);
  }
  onUnmounted(stop);
  return { seconds, start };
}
