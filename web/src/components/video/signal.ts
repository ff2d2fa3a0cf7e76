import { socketSignal, type MediaSignal, type SocketLike } from '../../media';
import { getSocket } from '../../socket/client';

/**
 * Media signalling over the page's one socket, so video shares the connection chat and checkout
 * use (and a stalled video never blocks them). The typed socket's event maps are narrower than
 * the media client's plain `SocketLike`; the media client only sends `sfu:*` and `room:join`.
 */
export const pageSignal = (): MediaSignal => socketSignal(getSocket() as unknown as SocketLike);
