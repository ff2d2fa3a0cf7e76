/**
 * What the video parts remember on this phone: a viewer's sound-only choice (a weak network stays
 * weak between visits) and which rooms this tab was streaming, so a host whose page reloaded
 * (the phone dropped it) goes back on air without another tap.
 */
const AUDIO_ONLY_KEY = 'farmlive.video.audioOnly';
const STREAMING_KEY = (roomId: string) => `farmlive.video.streaming.${roomId}`;

function read(storage: () => Storage, key: string): string | null {
  try {
    return storage().getItem(key);
  } catch {
    return null; // storage can be refused (private mode); nothing is remembered then
  }
}

function write(storage: () => Storage, key: string, value: string | null): void {
  try {
    if (value === null) storage().removeItem(key);
    else storage().setItem(key, value);
  } catch {
    // not remembered; everything else still works
  }
}

export const rememberedAudioOnly = (): boolean => read(() => localStorage, AUDIO_ONLY_KEY) === '1';
export const rememberAudioOnly = (on: boolean): void => write(() => localStorage, AUDIO_ONLY_KEY, on ? '1' : null);

/** Per tab (sessionStorage): another phone of the same host must not start streaming by itself. */
export const wasStreaming = (roomId: string): boolean => read(() => sessionStorage, STREAMING_KEY(roomId)) === '1';
export const rememberStreaming = (roomId: string, on: boolean): void => write(() => sessionStorage, STREAMING_KEY(roomId), on ? '1' : null);
