import type { sfuErrors } from '@farmlive/shared';
import type { Texts } from './texts';

type Codes = keyof typeof sfuErrors;

const zhCN: Texts<Codes> = {
  SFU_NOT_JOINED: '请先进入直播画面。',
  SFU_ROOM_NOT_LIVE: '这个直播间还没有开播。',
  SFU_NOT_HOST: '只有主播可以推送画面。',
  SFU_TRANSPORT_NOT_FOUND: '媒体连接不存在。',
  SFU_WRONG_DIRECTION: '这个媒体连接不能这样使用。',
  SFU_TRANSPORT_ALREADY_CONNECTED: '媒体连接已经建立。',
  SFU_DTLS_PARAMETERS_INVALID: '安全参数不正确。',
  SFU_RTP_PARAMETERS_INVALID: '媒体描述不正确。',
  SFU_ALREADY_PRODUCING: '这路媒体已经在推送了。',
  SFU_PRODUCER_NOT_FOUND: '这路画面已经不在了。',
  SFU_CONSUMER_NOT_FOUND: '没有这路画面。',
  SFU_CANNOT_CONSUME: '这台设备播放不了这路画面。',
  SFU_UNAVAILABLE: '直播画面正在重启，请稍后再试。',
};

const en: Texts<Codes> = {
  SFU_NOT_JOINED: 'Join the live video first.',
  SFU_ROOM_NOT_LIVE: 'This room is not live.',
  SFU_NOT_HOST: 'Only the host of this room can send video.',
  SFU_TRANSPORT_NOT_FOUND: 'No such media connection.',
  SFU_WRONG_DIRECTION: 'This media connection cannot be used that way.',
  SFU_TRANSPORT_ALREADY_CONNECTED: 'This media connection is already connected.',
  SFU_DTLS_PARAMETERS_INVALID: 'The security parameters are not valid.',
  SFU_RTP_PARAMETERS_INVALID: 'The media description is not valid.',
  SFU_ALREADY_PRODUCING: 'This kind of media is already being sent.',
  SFU_PRODUCER_NOT_FOUND: 'That stream is not available any more.',
  SFU_CONSUMER_NOT_FOUND: 'No such stream.',
  SFU_CANNOT_CONSUME: 'This device cannot play that stream.',
  SFU_UNAVAILABLE: 'Live video is restarting. Try again in a moment.',
};

export const sfuErrorTexts = { 'zh-CN': zhCN, en };
