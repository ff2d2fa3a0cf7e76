/**
 * FarmLive's browser media client: framework-free, over mediasoup-client. Pages give it their
 * socket (`socketSignal(socket)`) and a room id:
 *
 *   const publisher = await publish({ signal, roomId });          // host console
 *   const viewer = await watch({ signal, roomId, element: video }); // viewer page
 *
 * Both reconnect by themselves (network blips, a dropped socket, a restarted media worker) and
 * report a `state` event: connecting, live, waiting (no host stream yet), reconnecting, ended.
 */
export { publish, Publisher, simulcastEncodings, type PublishOptions, type PublisherStats } from './publish';
export { watch, Viewer, type QualityChoice, type ViewerQuality, type WatchOptions } from './watch';
export { MediaError, socketSignal, type MediaSignal, type SocketLike } from './signal';
export type { SessionState } from './session';
export { qualityLevel, type QualityLevel } from './stats';
