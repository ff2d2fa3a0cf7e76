import { defineErrors } from './define';

/** Live video signalling (`sfu:*`). */
export const sfuErrors = defineErrors({
  SFU_NOT_JOINED: { status: 409, message: 'Join the live video first.' },
  SFU_ROOM_NOT_LIVE: { status: 409, message: 'This room is not live.' },
  SFU_NOT_HOST: { status: 403, message: 'Only the host of this room can send video.' },
  SFU_TRANSPORT_NOT_FOUND: { status: 404, message: 'No such media connection.' },
  SFU_WRONG_DIRECTION: { status: 400, message: 'This media connection cannot be used that way.' },
  SFU_TRANSPORT_ALREADY_CONNECTED: { status: 409, message: 'This media connection is already connected.' },
  SFU_DTLS_PARAMETERS_INVALID: { status: 400, message: 'The security parameters are not valid.' },
  SFU_RTP_PARAMETERS_INVALID: { status: 400, message: 'The media description is not valid.' },
  SFU_ALREADY_PRODUCING: { status: 409, message: 'This kind of media is already being sent; replace the track instead.' },
  SFU_PRODUCER_NOT_FOUND: { status: 404, message: 'That stream is not available any more.' },
  SFU_CONSUMER_NOT_FOUND: { status: 404, message: 'No such stream.' },
  SFU_CANNOT_CONSUME: { status: 400, message: 'This device cannot play that stream.' },
  SFU_UNAVAILABLE: { status: 503, message: 'Live video is restarting. Try again in a moment.' },
});
