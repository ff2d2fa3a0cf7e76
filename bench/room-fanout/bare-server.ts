/**
 * The baseline: the chat fan-out written directly on a `ws` server, in its own process. A client
 * joins a room and sends chat; the server stamps each message as FarmLive does (id, room, sender,
 * text, time), serialises it once and sends it to every socket in the room, then acks the sender.
 * No validation, storage, moderation or rate limits: what FarmLive's path costs beyond this is
 * what the ratio shows. Prints `listening <port>` when ready.
 */
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';

const rooms = new Map<string, Set<WebSocket>>();
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: 65_536 });

wss.on('connection', (ws, req) => {
  const user = { id: randomUUID(), displayName: new URL(req.url ?? '/', 'http://x').searchParams.get('name') ?? '' };
  const joined = new Set<string>();
  ws.on('message', (data) => {
    let msg: [string, { roomId?: unknown; text?: unknown }];
    try {
      msg = JSON.parse(String(data)) as typeof msg;
    } catch {
      return;
    }
    const [event, p] = msg;
    if (typeof p?.roomId !== 'string') return;
    if (event === 'room:join') {
      let room = rooms.get(p.roomId);
      if (!room) rooms.set(p.roomId, (room = new Set()));
      room.add(ws);
      joined.add(p.roomId);
      ws.send('["joined"]');
    } else if (event === 'room:chat' && typeof p.text === 'string' && joined.has(p.roomId)) {
      const message = { id: randomUUID(), roomId: p.roomId, user, text: p.text, sentAt: new Date().toISOString() };
      const frame = JSON.stringify(['room:message', message]);
      for (const peer of rooms.get(p.roomId) ?? []) peer.send(frame);
      ws.send(JSON.stringify(['ack', message]));
    }
  });
  ws.on('close', () => {
    for (const roomId of joined) rooms.get(roomId)?.delete(ws);
  });
});

wss.on('listening', () => {
  const address = wss.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : String(address)}\n`);
});
