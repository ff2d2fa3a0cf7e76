import type { RoomStatus } from '@farmlive/shared';
import { onMounted, onUnmounted, reactive, watch as watchRef, type Ref } from 'vue';
import { MediaError, watch, type SessionState, type Viewer, type ViewerQuality } from '../../media';
import { pageSignal } from './signal';
import { rememberedAudioOnly, rememberAudioOnly } from './preferences';

/** Answers after which starting again cannot help until the room itself changes. */
const STOP = new Set(['SFU_ROOM_NOT_LIVE', 'ROOM_NOT_FOUND', 'ROOM_CLOSED', 'ROOM_BANNED']);
const RETRY_MS = 2_000;
const QUALITY_EVERY_MS = 2_000;

/**
 * The viewer's player for one room, as a page sees it: starts (muted, as autoplay requires) once
 * the room is live, starts again when it cannot or when its session ends while the room is still
 * live, and samples the quality every two seconds. The media client itself re-consumes after a
 * socket reconnect, a network blip or the host's stream changing.
 */
export function useLiveViewer(roomId: () => string, status: () => RoomStatus | undefined, element: Ref<HTMLVideoElement | null>) {
  const state = reactive({
    session: 'idle' as SessionState | 'idle',
    /** Still muted by the autoplay rules: a tap unmutes. */
    muted: true,
    audioOnly: rememberedAudioOnly(),
    quality: null as ViewerQuality | null,
    hostMuted: { audio: false, video: false },
    /** The code that stopped the player (the room is not live yet, a refusal). */
    error: null as string | null,
  });
  let viewer: Viewer | null = null;
  let starting = false;
  let disposed = false;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let sampling: ReturnType<typeof setInterval> | null = null;

  const clearRetry = () => {
    if (retry) clearTimeout(retry);
    retry = null;
  };
  const later = () => {
    clearRetry();
    if (!disposed) retry = setTimeout(() => void start(), RETRY_MS);
  };

  async function start(): Promise<void> {
    clearRetry();
    const el = element.value;
    if (disposed || viewer || starting || !el || status() !== 'live') return;
    starting = true;
    try {
      const v = await watch({ signal: pageSignal(), roomId: roomId(), element: el, audioOnly: state.audioOnly });
      if (disposed) return void v.close();
      viewer = v;
      state.error = null;
      state.session = v.state;
      state.muted = v.muted; // a new player starts muted again (autoplay rules)
      state.hostMuted = { ...v.hostMuted }; // its first streams were consumed before these listeners
      v.on('state', (s) => {
        state.session = s;
        if (s !== 'ended' || viewer !== v) return;
        // The room ended, or this socket left it: start over if the room is (still) live.
        viewer = null;
        state.quality = null;
        later();
      });
      v.on('hostMuted', (kind, muted) => (state.hostMuted[kind] = muted));
    } catch (err) {
      const code = err instanceof MediaError ? err.code : 'failed';
      state.session = 'idle';
      state.error = code;
      if (!STOP.has(code)) later();
    } finally {
      starting = false;
    }
  }

  function stop(): void {
    clearRetry();
    viewer?.close();
    viewer = null;
    state.session = 'idle';
    state.quality = null;
  }

  /** A rate needs two samples: the first one of a player only primes it (shown, it would read 0 kbps, "poor"). */
  let primed: Viewer | null = null;
  async function sample(): Promise<void> {
    const v = viewer;
    if (!v || v.state === 'ended') return;
    const q = await v.quality().catch(() => null);
    if (v !== viewer) return;
    if (primed !== v) primed = v;
    else state.quality = q;
  }

  onMounted(() => {
    void start();
    sampling = setInterval(() => void sample(), QUALITY_EVERY_MS);
  });
  watchRef(status, (s) => (s === 'live' ? void start() : stop()));
  onUnmounted(() => {
    disposed = true;
    if (sampling) clearInterval(sampling);
    stop();
  });

  return {
    state,
    /** Turns the sound on; call it from the tap itself (autoplay rules). */
    async unmute(): Promise<void> {
      const el = element.value;
      if (!el) return;
      if (viewer) await viewer.unmute();
      else el.muted = false;
      state.muted = el.muted;
    },
    /** Sound only (weak network), remembered on this phone; or back to video. */
    async setAudioOnly(on: boolean): Promise<void> {
      state.audioOnly = on;
      rememberAudioOnly(on);
      await viewer?.setAudioOnly(on).catch(() => undefined);
      void sample();
    },
    retry: () => void start(),
  };
}
