import type { Role, User } from '@farmlive/shared';
import { reactive } from 'vue';
import { ApiError } from './api/client';
import { authApi } from './api/endpoints';
import { currentLocale } from './i18n';
import { onSessionRejected, resetSocket } from './socket/client';

/** Who is signed in on this phone; null when nobody is. The session itself is an httpOnly cookie. */
export const session = reactive<{ user: User | null; loaded: boolean }>({ user: null, loaded: false });

let loading: Promise<void> | null = null;

/** Loads the signed-in user once; pages and route guards await it. */
export function loadSession(): Promise<void> {
  loading ??= authApi.me().then(
    (user) => {
      session.user = user;
      session.loaded = true;
    },
    (err: unknown) => {
      if (!(err instanceof ApiError) || err.code !== 'UNAUTHENTICATED') loading = null; // a network failure: try again next time
      session.user = null;
      session.loaded = true;
    },
  );
  return loading;
}

export async function signIn(phone: string, code: string): Promise<User> {
  const { user } = await authApi.verify(phone, code);
  session.user = user;
  session.loaded = true;
  loading = Promise.resolve();
  if (user.locale !== currentLocale.value) void authApi.setLocale(currentLocale.value).catch(() => undefined);
  resetSocket(); // the socket signs in with the new cookie
  return user;
}

export async function signOut(): Promise<void> {
  await authApi.signOut().catch(() => undefined);
  session.user = null;
  resetSocket();
}

export const hasRole = (user: User | null, ...roles: Role[]) => !!user && (user.roles.includes('admin') || roles.some((r) => user.roles.includes(r)));

// The server refused the socket's session (expired): forget it and carry on anonymous.
onSessionRejected(async () => {
  await authApi.signOut().catch(() => undefined);
  session.user = null;
});
