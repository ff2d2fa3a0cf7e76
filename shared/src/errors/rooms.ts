import { defineErrors } from './define';

export const roomErrors = defineErrors({
  ROOM_NOT_FOUND: { status: 404, message: 'This live room does not exist.' },
  ROOM_CLOSED: { status: 409, message: 'This live room has ended.' },
  ROOM_NOT_JOINED: { status: 409, message: 'Join the room first.' },
  ROOM_INVALID_TRANSITION: { status: 409, message: 'The room cannot change to that state now.' },
  ROOM_NOT_HOST: { status: 403, message: 'Only the host or a moderator of this room can do this.' },
  ROOM_PRODUCT_NOT_ALLOWED: { status: 400, message: 'That product is not sold in this room.' },
  ROOM_BANNED: { status: 403, message: 'You were removed from this room.' },
  CHAT_TOO_LONG: { status: 400, message: 'The message is too long.' },
  CHAT_EMPTY: { status: 400, message: 'The message is empty.' },
  CHAT_RATE_LIMITED: { status: 429, message: 'You are sending messages too fast.' },
  CHAT_BANNED_WORD: { status: 400, message: 'The message contains a word that is not allowed in this room.' },
  CHAT_MUTED: { status: 403, message: 'You are muted in this room.' },
  CHAT_MESSAGE_NOT_FOUND: { status: 404, message: 'That message does not exist.' },
});
