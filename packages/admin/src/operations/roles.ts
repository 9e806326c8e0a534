/**
 * Roles and who may do what. The server checks every operation against its declared
 * role before running it; the dashboard and CLI only hide what the server would refuse.
 */

/** `viewer` reads; `operator` runs reversible and bounded actions; `admin` everything. */
export type Role = 'viewer' | 'operator' | 'admin';

/** Every role, weakest first. */
export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'] as const;

/** Whoever makes a request, as the auth layer established it. */
export interface Principal {
  /** Recorded in the audit log as the actor. */
  id: string;
  role: Role;
}

/** Whether `have` includes every permission of `need`. */
export function roleAllows(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}
