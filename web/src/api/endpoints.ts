import {
  AuthOptionsSchema,
  ProductSchema,
  RequestCodeResultSchema,
  RoomSchema,
  SignInResultSchema,
  UserSchema,
  type CreateRoomBodySchema,
  type Locale,
} from '@farmlive/shared';
import { z } from 'zod';
import { request } from './client';

const WordsSchema = z.object({ words: z.array(z.string()) });
const enc = encodeURIComponent;

export const authApi = {
  options: () => request('GET', '/api/auth/options', { schema: AuthOptionsSchema }),
  requestCode: (phone: string) => request('POST', '/api/auth/code', { body: { phone }, schema: RequestCodeResultSchema }),
  verify: (phone: string, code: string) => request('POST', '/api/auth/verify', { body: { phone, code }, schema: SignInResultSchema }),
  signOut: () => request('POST', '/api/auth/sign-out', { schema: z.null() }),
  me: () => request('GET', '/api/me', { schema: UserSchema }),
  setLocale: (locale: Locale) => request('PATCH', '/api/me', { body: { locale }, schema: UserSchema }),
};

export const roomsApi = {
  /** Live rooms first, then upcoming ones (the server's `upcoming` order). */
  list: () => request('GET', '/api/rooms', { query: { status: 'upcoming' }, schema: z.array(RoomSchema) }),
  get: (id: string) => request('GET', `/api/rooms/${enc(id)}`, { schema: RoomSchema }),
  mine: () => request('GET', '/api/rooms/mine', { schema: z.array(RoomSchema) }),
  create: (body: z.input<typeof CreateRoomBodySchema>) => request('POST', '/api/rooms', { body, schema: RoomSchema }),
  open: (id: string) => request('POST', `/api/rooms/${enc(id)}/open`, { schema: RoomSchema }),
  close: (id: string) => request('POST', `/api/rooms/${enc(id)}/close`, { schema: RoomSchema }),
  bannedWords: async (id: string) => (await request('GET', `/api/rooms/${enc(id)}/banned-words`, { schema: WordsSchema })).words,
  setBannedWords: async (id: string, words: string[]) =>
    (await request('PUT', `/api/rooms/${enc(id)}/banned-words`, { body: { words }, schema: WordsSchema })).words,
};

export const productsApi = {
  /** What the signed-in host may sell. */
  mine: () => request('GET', '/api/products', { query: { mine: true }, schema: z.array(ProductSchema) }),
};
