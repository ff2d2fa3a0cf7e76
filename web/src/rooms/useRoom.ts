import type { Ack, ChatMessage, ClientEventName, ClientEventResults, ProductCard, Room, ServerToClientEvents } from '@farmlive/shared';
import { onUnmounted, reactive, shallowRef } from 'vue';
import { emitAck, getSocket, type EventPayload } from '../socket/client';
import { ChatLog } from './chat-log';
import { LikeBatcher } from './like-batcher';

export type ConnectionState = 'connecting' | 'online' | 'reconnecting';

/**
 * One live room as a page sees it, kept in step over the shared socket. Joins on connect and
 * again after every reconnect (socket.io forgets room membership with the connection), merges
 * the history each join returns, and drops duplicate messages.
 */
export function useRoom(roomId: string) {
  const socket = getSocket();
  const state = reactive({
    connection: 'connecting' as ConnectionState,
    room: null as Room | null,
    viewerCount: 0,
    likeTotal: 0,
    /** Taps this phone counted that no total from the server includes yet. */
    unconfirmedLikes: 0,
    pinned: null as ProductCard | null,
    canModerate: false,
    mutedUntil: null as string | null,
    /** Why the room cannot be shown: ROOM_CLOSED, ROOM_NOT_FOUND, ROOM_BANNED or another code. */
    problem: null as string | null,
  });
  const log = new ChatLog();
  const messages = shallowRef<readonly ChatMessage[]>([]);
  const sync = () => (messages.value = log.messages);
  const likes = new LikeBatcher((count) => void emitAck('room:like', { roomId, count }));
  let joinSeq = 0;
  /**
   * What events changed while a join was in flight. The server reads the join's answer before it
   * adds the socket to the room, so these are newer than the answer and must not be overwritten.
   */
  type Field = 'viewerCount' | 'likeTotal' | 'pinned' | 'mutedUntil' | 'status' | 'problem';
  let inFlight: { messages: Set<string>; fields: Set<Field> } | null = null;
  const changed = (...fields: Field[]) => fields.forEach((f) => inFlight?.fields.add(f));
  let retry: ReturnType<typeof setTimeout> | null = null;
  let unmute: ReturnType<typeof setTimeout> | null = null;

  /** Mutes end on their own: clear the state when the time comes, so the input comes back. */
  const setMuted = (until: string | null) => {
    if (unmute) clearTimeout(unmute);
    const left = until ? new Date(until).getTime() - Date.now() : 0;
    state.mutedUntil = left > 0 ? until : null;
    // setTimeout cannot wait longer than about 24.8 days; a longer mute is re-checked on the next join.
    if (left > 0 && left < 2 ** 31) unmute = setTimeout(() => (state.mutedUntil = null), left);
  };

  async function join(): Promise<void> {
    const seq = ++joinSeq;
    const seen = (inFlight = { messages: new Set(), fields: new Set() });
    const ack = await emitAck('room:join', { roomId });
    if (seq !== joinSeq) return; // a newer join (after another reconnect) owns the state
    inFlight = null;
    if (!ack.ok) {
      if (ack.error.code === 'TIMEOUT' || ack.error.code === 'NETWORK') retry = setTimeout(() => socket.connected && void join(), 2_000);
      else state.problem = ack.error.code;
      return;
    }
    const j = ack.data;
    const stale = (f: Field) => seen.fields.has(f);
    state.room = stale('status') && state.room ? { ...j.room, status: state.room.status } : j.room;
    if (!stale('viewerCount')) state.viewerCount = j.viewerCount;
    if (!stale('likeTotal')) state.likeTotal = j.room.likeCount;
    if (!stale('pinned')) state.pinned = j.pinned;
    if (!stale('mutedUntil')) setMuted(j.mutedUntil);
    if (!stale('problem')) state.problem = null;
    state.canModerate = j.canModerate;
    state.connection = 'online';
    log.mergeHistory(j.history, seen.messages);
    sync();
  }

  const mine = <T extends { roomId: string }>(fn: (p: T) => void) => (p: T) => p.roomId === roomId && fn(p);
  const handlers: { [E in keyof ServerToClientEvents]?: ServerToClientEvents[E] } = {
    'room:message': mine((m) => {
      inFlight?.messages.add(m.id);
      if (log.add(m)) sync();
    }),
    'room:messageRemoved': mine((p) => log.remove(p.messageId) && sync()),
    'room:viewerCount': mine((p) => {
      changed('viewerCount');
      state.viewerCount = p.count;
    }),
    'room:likes': mine((p) => {
      changed('likeTotal');
      state.likeTotal = p.total;
      state.unconfirmedLikes = likes.pending;
    }),
    'room:productPinned': mine((p) => {
      changed('pinned');
      state.pinned = p.product;
    }),
    'room:statusChanged': mine((p) => {
      changed('status');
      if (state.room) state.room = { ...state.room, status: p.status };
      if (p.status === 'closed') {
        changed('problem');
        state.problem = 'ROOM_CLOSED';
      }
    }),
    'room:removed': mine(() => {
      changed('problem');
      state.problem = 'ROOM_BANNED';
    }),
    'room:muted': mine((p) => {
      changed('mutedUntil');
      setMuted(p.until);
    }),
  };
  const onConnect = () => void join();
  const onDisconnect = () => {
    joinSeq++;
    inFlight = null;
    state.connection = 'reconnecting';
  };
  socket.on('connect', onConnect);
  socket.on('disconnect', onDisconnect);
  for (const [event, fn] of Object.entries(handlers)) socket.on(event as 'room:message', fn as never);
  if (socket.connected) void join();

  onUnmounted(() => {
    likes.flush();
    likes.stop();
    if (retry) clearTimeout(retry);
    if (unmute) clearTimeout(unmute);
    socket.off('connect', onConnect);
    socket.off('disconnect', onDisconnect);
    for (const [event, fn] of Object.entries(handlers)) socket.off(event as 'room:message', fn as never);
    if (socket.connected) void emitAck('room:leave', { roomId });
  });

  /** A room action; ok or the error to show. */
  const act = <E extends ClientEventName>(event: E, payload: Omit<EventPayload<E>, 'roomId'>): Promise<Ack<ClientEventResults[E]>> =>
    emitAck(event, { ...payload, roomId } as EventPayload<E>);

  return {
    state,
    messages,
    like(): void {
      likes.tap();
      state.unconfirmedLikes += 1;
    },
    async sendChat(text: string) {
      const ack = await act('room:chat', { text });
      if (ack.ok && log.add(ack.data)) sync();
      return ack;
    },
    async pin(productId: string | null) {
      const ack = await act('room:pin', { productId });
      if (ack.ok) state.pinned = ack.data.product;
      return ack;
    },
    removeMessage: (messageId: string) => act('room:removeMessage', { messageId }),
    mute: (userId: string, minutes: number) => act('room:mute', { userId, minutes }),
    removeUser: (userId: string) => act('room:removeUser', { userId }),
  };
}

export type RoomHandle = ReturnType<typeof useRoom>;
