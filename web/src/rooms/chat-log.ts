import type { ChatMessage } from '@farmlive/shared';

/**
 * The messages a page shows, kept without duplicates whatever order they arrive in: a message
 * can come as the sender's ack, as the room broadcast, and again in history after a reconnect.
 */
export class ChatLog {
  #byId = new Map<string, ChatMessage>();
  #list: ChatMessage[] = [];

  constructor(readonly limit = 200) {}

  get messages(): readonly ChatMessage[] {
    return this.#list;
  }

  /** Adds one message; false when it was already there. */
  add(message: ChatMessage): boolean {
    if (this.#byId.has(message.id)) return false;
    this.#byId.set(message.id, message);
    this.#list = insertSorted(this.#list, message);
    this.#trim();
    return true;
  }

  remove(messageId: string): boolean {
    if (!this.#byId.delete(messageId)) return false;
    this.#list = this.#list.filter((m) => m.id !== messageId);
    return true;
  }

  /**
   * Takes the history a (re)join returned. From its oldest message on, history is the truth:
   * what is missing there was removed while we were away. Older messages we already hold stay,
   * and so do `fresh` ones, which arrived while the join was in flight and so after the history
   * was read. An empty history means the room had no visible messages at all.
   */
  mergeHistory(history: readonly ChatMessage[], fresh: ReadonlySet<string> = new Set()): void {
    const oldest = history[0];
    const kept = this.#list.filter((m) => fresh.has(m.id) || (oldest !== undefined && before(m, oldest)));
    this.#byId = new Map();
    this.#list = [];
    for (const m of [...kept, ...history]) this.add(m);
  }

  #trim(): void {
    while (this.#list.length > this.limit) this.#byId.delete(this.#list.shift()!.id);
  }
}

const before = (a: ChatMessage, b: ChatMessage) => a.sentAt < b.sentAt || (a.sentAt === b.sentAt && a.id < b.id);

/** Messages nearly always arrive in order: walk back from the end. */
function insertSorted(list: ChatMessage[], m: ChatMessage): ChatMessage[] {
  let i = list.length;
  while (i > 0 && before(m, list[i - 1]!)) i--;
  return [...list.slice(0, i), m, ...list.slice(i)];
}
