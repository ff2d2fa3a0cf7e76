import type { Role } from '@farmlive/shared';
import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router';
import { decideAccess } from './console/access';
import { consoleRoutes } from './console/routes';
import { consoleRoles } from './console/sections';
import RoomListPage from './pages/RoomListPage.vue';
import { hasRole, loadSession, session } from './session';

declare module 'vue-router' {
  interface RouteMeta {
    /** The page needs a signed-in user holding the host role. */
    host?: boolean;
    /** The page needs a signed-in user holding one of these roles (an admin holds them all). */
    roles?: readonly Role[];
    /** Pages with the same key share one component instance in App.vue (the console's layout); else each URL gets its own. */
    viewKey?: string;
    /** The console section a page belongs to. */
    section?: string;
  }
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'rooms', component: RoomListPage },
    { path: '/sign-in', name: 'sign-in', component: () => import('./pages/SignInPage.vue') },
    { path: '/rooms/:id', name: 'room', component: () => import('./pages/RoomPage.vue'), props: true },
    // Host pages load only for hosts: viewers on a weak signal never download them.
    { path: '/host', name: 'host', component: () => import('./pages/host/HostRoomsPage.vue'), meta: { host: true } },
    { path: '/host/new', name: 'host-new', component: () => import('./pages/host/HostNewRoomPage.vue'), meta: { host: true } },
    { path: '/host/rooms/:id', name: 'host-room', component: () => import('./pages/host/HostLivePage.vue'), meta: { host: true }, props: true },
    { path: '/orders', name: 'orders', component: () => import('./pages/MyOrdersPage.vue') },
    { path: '/orders/:id', name: 'order', component: () => import('./pages/OrderPage.vue'), props: true },
    { path: '/host/orders', name: 'host-orders', component: () => import('./pages/host/HostOrdersPage.vue'), meta: { host: true } },
    ...consoleRoutes,
    { path: '/:rest(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue') },
  ],
});

router.beforeEach(async (to: RouteLocationNormalized) => {
  if (!to.meta.roles) return true;
  await loadSession();
  const decision = decideAccess(session.user, to.meta.roles, to.fullPath, consoleRoles);
  return decision.allow || decision.to;
});

router.beforeEach(async (to: RouteLocationNormalized) => {
  if (!to.meta.host) return true;
  await loadSession();
  if (!session.user) return { name: 'sign-in', query: { next: to.fullPath } };
  if (!hasRole(session.user, 'host')) return { name: 'rooms', query: { notice: 'not-host' } };
  return true;
});
