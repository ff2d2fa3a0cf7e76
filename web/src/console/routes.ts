import type { RouteRecordRaw } from 'vue-router';
import { consoleRoles, consoleSections } from './sections';

/**
 * The console's routes, built from `sections.ts`. Everything under `/console` asks for a console
 * role; each section asks for its own. Every component is lazy: this file, the section list and
 * the guard are all that the phone pages' bundle carries of the console.
 */
export const consoleRoutes: RouteRecordRaw[] = [
  // Outside the layout: a person without a console role sees why, and nothing of the console.
  { path: '/console/refused', name: 'console-refused', component: () => import('./ConsoleRefused.vue') },
  {
    path: '/console',
    component: () => import('./ConsoleLayout.vue'),
    // One layout instance for every console page: moving between sections or changing filters keeps it.
    meta: { roles: consoleRoles, viewKey: 'console' },
    children: [
      { path: '', name: 'console-home', component: () => import('./ConsoleHome.vue') },
      ...consoleSections.map((s): RouteRecordRaw => ({ path: s.key, meta: { roles: s.roles, section: s.key }, children: [...s.pages] })),
    ],
  },
];
