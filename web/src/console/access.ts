import type { Role, User } from '@farmlive/shared';
import { consoleSections, type ConsoleSection } from './sections';

const holds = (user: User, roles: readonly Role[]) => user.roles.includes('admin') || roles.some((r) => user.roles.includes(r));

type KnownSection = (typeof consoleSections)[number];

/** The sections a person may open, in navigation order. */
export function sectionsFor(user: User | null): KnownSection[];
export function sectionsFor<S extends ConsoleSection>(user: User | null, sections: readonly S[]): S[];
export function sectionsFor(user: User | null, sections: readonly ConsoleSection[] = consoleSections): ConsoleSection[] {
  return user ? sections.filter((s) => holds(user, s.roles)) : [];
}

/** Where `/console` takes a person: their first section, or null when they have none yet. */
export function homeFor(user: User | null, sections: readonly ConsoleSection[] = consoleSections): string | null {
  const first = sectionsFor(user, sections)[0];
  return first ? `/console/${first.key}` : null;
}

export type AccessDecision =
  | { allow: true }
  /** Not signed in: sign in, then come back. */
  | { allow: false; to: { name: 'sign-in'; query: { next: string } } }
  /** Signed in, but may not open this page: the console's home when they may use the console, else the refusal page. */
  | { allow: false; to: { name: 'console-home' | 'console-refused'; query: { refused: string } } };

/**
 * Whether `user` may open a page that asks for `roles` (an admin may open anything). A person who
 * may use some of the console but not this section goes to the console's home; anyone else to a
 * page that says the console is for officials and reviewers.
 */
export function decideAccess(user: User | null, roles: readonly Role[], path: string, consoleRoles: readonly Role[]): AccessDecision {
  if (!user) return { allow: false, to: { name: 'sign-in', query: { next: path } } };
  if (holds(user, roles)) return { allow: true };
  return { allow: false, to: { name: holds(user, consoleRoles) ? 'console-home' : 'console-refused', query: { refused: path } } };
}
