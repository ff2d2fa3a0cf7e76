import type { Role } from '@farmlive/shared';
import type { RouteRecordRaw } from 'vue-router';

/**
 * The console's sections, in navigation order. Adding a section is one entry here (plus its
 * navigation label in `i18n/shell.ts`, which the type below makes `pnpm typecheck` ask for):
 * the router, the role guard and the navigation are all built from this list.
 */
export interface ConsoleSection {
  /** The URL segment, `/console/<key>`, and the key of its label in `shell.nav`. */
  key: string;
  /** A Vant icon name (https://vant-ui.github.io/vant/#/en-US/icon) for the navigation. */
  icon: string;
  /** Who sees it in the navigation and may open it; an admin always may. */
  roles: readonly Role[];
  /**
   * Its pages, relative to `/console/<key>` (`''` is the landing page). Components are always
   * lazy (`() => import(...)`), so that phones never download console code.
   */
  pages: readonly RouteRecordRaw[];
}

export const consoleSections = [
  {
    key: 'accounts',
    icon: 'friends-o',
    roles: ['official'],
    pages: [{ path: '', name: 'console-accounts', component: () => import('./accounts/AccountsPage.vue') }],
  },
  {
    key: 'images',
    icon: 'photo-o',
    roles: ['official'],
    pages: [{ path: '', name: 'console-images', component: () => import('./images/ImagesPage.vue') }],
  },
  {
    key: 'stories',
    icon: 'description-o',
    roles: ['official'],
    pages: [
      { path: '', name: 'console-stories', component: () => import('./stories/StoriesPage.vue') },
      { path: ':id', name: 'console-story', component: () => import('./stories/StoryEditor.vue'), props: true },
    ],
  },
  {
    key: 'review',
    icon: 'passed',
    roles: ['reviewer'],
    pages: [{ path: '', name: 'console-review', component: () => import('./stories/ReviewPage.vue') }],
  },
  {
    key: 'schedule',
    icon: 'calendar-o',
    roles: ['official'],
    pages: [{ path: '', name: 'console-schedule', component: () => import('./publications/SchedulePage.vue') }],
  },
  {
    key: 'publications',
    icon: 'send-gift-o',
    roles: ['official', 'reviewer'],
    pages: [{ path: '', name: 'console-publications', component: () => import('./publications/PublicationsPage.vue') }],
  },
  {
    key: 'attribution',
    icon: 'chart-trending-o',
    roles: ['official', 'reviewer'],
    pages: [{ path: '', name: 'console-attribution', component: () => import('./attribution/AttributionPage.vue') }],
  },
] as const satisfies readonly ConsoleSection[];

export type SectionKey = (typeof consoleSections)[number]['key'];

/** Who may open the console at all (officials write and publish, reviewers approve); each section narrows it. */
export const consoleRoles: readonly Role[] = ['official', 'reviewer'];
