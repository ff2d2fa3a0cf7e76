import type { FastifyRequest } from 'fastify';
import type { Role, User } from '@farmlive/shared';
import { AppError } from '../platform/errors';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, resolved from the session cookie or a bearer token; null when anonymous. */
    user: User | null;
    sessionToken: string | null;
  }
}

export const SESSION_COOKIE = 'fl_session';

export function requireUser(req: FastifyRequest): User {
  if (!req.user) throw new AppError('UNAUTHENTICATED');
  return req.user;
}

/** The user, when they hold one of `roles`; an admin holds them all. */
export function requireRole(req: FastifyRequest, ...roles: Role[]): User {
  const user = requireUser(req);
  if (!hasRole(user, ...roles)) throw new AppError('FORBIDDEN');
  return user;
}

export const hasRole = (user: User | null, ...roles: Role[]) =>
  !!user && (user.roles.includes('admin') || roles.some((r) => user.roles.includes(r)));

/** The session token a request carries: `Authorization: Bearer` first, then the cookie. */
export function tokenFrom(authorization: string | undefined, cookies: Record<string, string | undefined>): string | undefined {
  const m = authorization && /^Bearer\s+(\S+)$/i.exec(authorization);
  return (m && m[1]) || cookies[SESSION_COOKIE] || undefined;
}
