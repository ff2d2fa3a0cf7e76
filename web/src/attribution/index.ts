import { watch } from 'vue';
import type { Router } from 'vue-router';
import { z } from 'zod';
import { request } from '../api/client';
import { session } from '../session';
import { rememberRef, sendRef } from './ref';

const touch = (code: string) => request('POST', '/api/attribution/touch', { body: { code }, schema: z.null() });

function store() {
  try {
    return window.localStorage;
  } catch {
    return null; // storage blocked (some in-app browsers in private mode): attribution is best effort
  }
}

/** Binds the signed-in buyer to the story link they came through (see `ref.ts`). */
export function installAttributionRef(router: Router): void {
  const send = () => {
    const s = store();
    if (s && session.user) void sendRef(s, session.user.id, touch);
  };
  router.afterEach((to) => {
    const s = store();
    if (!s || to.query.ref === undefined) return;
    rememberRef(s, to.query.ref);
    send();
  });
  watch(() => session.user?.id, send);
}
