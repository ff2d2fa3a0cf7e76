export type Facing = 'user' | 'environment';

const SIZE = { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 25 } };

/** The phone's camera (front by default) and microphone, at the size the publisher sends. */
export function openCamera(facing: Facing): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia({
    video: { ...SIZE, facingMode: facing },
    audio: { echoCancellation: true, noiseSuppression: true },
  });
}

/**
 * Puts the other camera into `stream` in place of the current one (before streaming; while
 * streaming, `Publisher.switchCamera` does it and sends the new track). The old camera is
 * stopped first: phones cannot open two at once.
 */
export async function flipCamera(stream: MediaStream, facing: Facing): Promise<void> {
  const old = stream.getVideoTracks()[0];
  old?.stop();
  const fresh = await navigator.mediaDevices.getUserMedia({ video: { ...SIZE, facingMode: facing } });
  const track = fresh.getVideoTracks()[0];
  if (!track) return;
  if (old) stream.removeTrack(old);
  stream.addTrack(track);
}
