import type { Room } from '@farmlive/shared';
import { onMounted, onUnmounted, reactive, shallowRef, watch } from 'vue';
import { errorCode } from '../../api/client';
import { roomsApi } from '../../api/endpoints';
import { MediaError, publish, type Publisher, type PublisherStats, type SessionState } from '../../media';
import { pageSignal } from './signal';
import { flipCamera, openCamera, type Facing } from './camera';
import { rememberStreaming, wasStreaming } from './preferences';

const STATS_EVERY_MS = 2_000;
const RESUME_RETRY_MS = 2_000;
/** Failures that a moment later may not happen again (the media client's and the API's own codes). */
const TRANSIENT = new Set(['DISCONNECTED', 'TIMEOUT', 'NETWORK', 'SFU_UNAVAILABLE']);

/**
 * The host's camera for one room: a preview as soon as the page opens, then streaming it (going
 * live first when the room is only scheduled), mute, flip and stop. The media client resumes
 * by itself after the phone's network drops; a page that reloaded while streaming starts again.
 */
export function useHostCamera(room: () => Room | null) {
  const state = reactive({
    session: 'idle' as SessionState | 'idle',
    facing: 'user' as Facing,
    micMuted: false,
    /** Bumped when the camera changes, so the preview element takes the new track. */
    cameraSeq: 0,
    busy: false,
    stats: null as PublisherStats | null,
    /** Why the camera or streaming failed: CAMERA_DENIED, a server code, or why it stopped (replaced). */
    problem: null as string | null,
  });
  /** Not in `state`: a MediaStream behind Vue's proxy is refused by `video.srcObject`. */
  const preview = shallowRef<MediaStream | null>(null);
  const publisher = shallowRef<Publisher | null>(null);
  let disposed = false;
  let sampling: ReturnType<typeof setInterval> | null = null;
  let resume: ReturnType<typeof setTimeout> | null = null;

  async function ensurePreview(): Promise<MediaStream | null> {
    if (preview.value) return preview.value;
    try {
      const stream = await openCamera(state.facing);
      if (disposed) {
        for (const t of stream.getTracks()) t.stop();
        return null;
      }
      for (const t of stream.getAudioTracks()) t.enabled = !state.micMuted;
      preview.value = stream;
      return stream;
    } catch {
      state.problem = 'CAMERA_DENIED';
      return null;
    }
  }

  async function goLive(): Promise<void> {
    const r = room();
    if (resume) clearTimeout(resume);
    if (!r || publisher.value || state.busy || r.status === 'closed') return;
    state.busy = true;
    state.problem = null;
    try {
      const stream = await ensurePreview();
      if (!stream) return;
      if (r.status === 'scheduled') await roomsApi.open(r.id);
      state.session = 'connecting';
      const p = await publish({ signal: pageSignal(), roomId: r.id, stream });
      if (disposed) return void p.close();
      publisher.value = p;
      state.session = p.state;
      rememberStreaming(r.id, true);
      if (state.micMuted) await p.setMuted('audio', true).catch(() => undefined);
      p.on('state', (s, detail) => {
        state.session = s;
        if (s !== 'ended' || publisher.value !== p) return;
        publisher.value = null;
        state.stats = null;
        state.session = 'idle';
        if (detail.reason && detail.reason !== 'closed') state.problem = detail.reason;
        if (detail.reason === 'replaced' || detail.reason === 'room-closed') rememberStreaming(r.id, false);
      });
    } catch (err) {
      state.session = 'idle';
      state.problem = err instanceof MediaError ? err.code : errorCode(err);
      // Going back on air after a reload must not give up on a passing network problem.
      if (TRANSIENT.has(state.problem) && wasStreaming(r.id) && !disposed) resume = setTimeout(() => void goLive(), RESUME_RETRY_MS);
    } finally {
      state.busy = false;
    }
  }

  /** Stops streaming; the preview stays, and the room stays open (RoomLifecycleButtons ends it). */
  function end(): void {
    const r = room();
    const p = publisher.value;
    if (resume) clearTimeout(resume);
    if (r) rememberStreaming(r.id, false);
    p?.close();
    publisher.value = null;
    state.session = 'idle';
    state.stats = null;
    // Closing the connection here reaches the server too (DTLS close), but that message can be
    // lost on a weak network: say it, so viewers learn at once that the stream has stopped.
    if (r && p) pageSignal().request('sfu:leave', { roomId: r.id }).catch(() => undefined);
  }

  async function toggleMic(): Promise<void> {
    state.micMuted = !state.micMuted;
    for (const t of preview.value?.getAudioTracks() ?? []) t.enabled = !state.micMuted;
    await publisher.value?.setMuted('audio', state.micMuted).catch(() => undefined);
  }

  async function switchCamera(): Promise<void> {
    if (state.busy) return;
    state.busy = true;
    try {
      // While streaming the publisher swaps the track it sends; the preview shows the same stream.
      if (publisher.value) await publisher.value.switchCamera();
      else if (preview.value) await flipCamera(preview.value, state.facing === 'user' ? 'environment' : 'user');
      state.facing = state.facing === 'user' ? 'environment' : 'user';
      state.cameraSeq++;
    } catch {
      state.problem = 'CAMERA_DENIED';
    } finally {
      state.busy = false;
    }
  }

  async function sample(): Promise<void> {
    const p = publisher.value;
    if (!p || p.state !== 'live') return;
    const stats = await p.stats().catch(() => null);
    if (p === publisher.value) state.stats = stats;
  }

  onMounted(() => {
    void ensurePreview();
    sampling = setInterval(() => void sample(), STATS_EVERY_MS);
  });
  // A page that reloaded while it was streaming (the phone dropped it) goes back on air.
  watch(
    () => room()?.status,
    (status) => {
      const r = room();
      if (r && status === 'live' && !publisher.value && wasStreaming(r.id)) void goLive();
      if (status === 'closed') end();
    },
    { immediate: true },
  );
  onUnmounted(() => {
    disposed = true;
    if (sampling) clearInterval(sampling);
    if (resume) clearTimeout(resume);
    const r = room();
    if (r && publisher.value) rememberStreaming(r.id, false); // left the page on purpose
    publisher.value?.close();
    publisher.value = null;
    for (const t of preview.value?.getTracks() ?? []) t.stop();
  });

  return { state, preview, goLive, end, toggleMic, switchCamera };
}
