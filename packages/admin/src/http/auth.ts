import { createHash, timingSafeEqual } from 'node:crypto';
import { AdminConfigError, UnauthenticatedError } from '../errors.js';
import { type Principal, ROLES, type Role } from '../operations/roles.js';

/** One bearer token the admin accepts. */
export interface TokenEntry {
  /** The token in clear; hashed at once and never kept. Give this or `sha256`. */
  token?: string;
  /** The token's SHA-256, hex (see {@link hashToken}): what to keep in configuration. */
  sha256?: string;
  role: Role;
  /** The actor name in the audit log. Default `token:<first 8 hex of the hash>`. */
  id?: string;
}

/**
 * How the admin knows who calls. Nothing is open by default: with neither `tokens` nor
 * `authenticate`, every request is refused unless `anonymous` names a role.
 */
export interface AuthOptions {
  /** Bearer tokens (`Authorization: Bearer <token>`), hashed at rest, compared in constant time. */
  tokens?: readonly TokenEntry[];
  /**
   * The host application's own auth (a session cookie, an SSO header): return the
   * principal, or null to fall through to the tokens (and then refuse).
   */
  authenticate?: (request: Request) => Principal | null | Promise<Principal | null>;
  /** Lets requests without credentials in with this role. Default: refused. */
  anonymous?: Role;
}

/** SHA-256 of a token, hex: store this instead of the token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Resolves requests to principals per {@link AuthOptions}. */
export class Authenticator {
  private readonly entries: { hash: Buffer; role: Role; id: string }[];

  constructor(private readonly options: AuthOptions) {
    this.entries = (options.tokens ?? []).map((t, i) => {
      const hex = t.sha256 ?? (t.token !== undefined ? hashToken(t.token) : undefined);
      if (hex === undefined || !/^[0-9a-f]{64}$/i.test(hex))
        throw new AdminConfigError(`auth.tokens[${i}] needs a token or a 64-hex-digit sha256.`);
      if (t.token !== undefined && t.token.length < 16)
        throw new AdminConfigError(
          `auth.tokens[${i}].token is shorter than 16 characters: use a long random token.`,
        );
      if (!ROLES.includes(t.role))
        throw new AdminConfigError(`auth.tokens[${i}].role must be one of ${ROLES.join(', ')}.`);
      return {
        hash: Buffer.from(hex, 'hex'),
        role: t.role,
        id: t.id ?? `token:${hex.slice(0, 8)}`,
      };
    });
    if (!options.authenticate && this.entries.length === 0 && options.anonymous === undefined)
      throw new AdminConfigError(
        'The admin refuses to start without auth: pass auth: { tokens: [{ token, role }] }, auth: { authenticate(request) }, or (only on a trusted network) auth: { anonymous: "viewer" }.',
      );
  }

  /** Whether a token (rather than an ambient cookie) authenticated: exempt from CSRF checks. */
  static bearer(request: Request): string | undefined {
    const h = request.headers.get('authorization');
    const m = h?.match(/^Bearer\s+(\S+)$/i);
    return m?.[1];
  }

  /** The principal of `request`; throws `UnauthenticatedError`. */
  async principal(request: Request): Promise<{ principal: Principal; viaToken: boolean }> {
    const token = Authenticator.bearer(request);
    if (token !== undefined) {
      const hash = Buffer.from(hashToken(token), 'hex');
      let found: { role: Role; id: string } | undefined;
      // Every entry is compared, so the time taken does not tell which one matched.
      for (const e of this.entries) if (timingSafeEqual(e.hash, hash)) found = e;
      if (found) return { principal: { id: found.id, role: found.role }, viaToken: true };
      throw new UnauthenticatedError(
        'The bearer token is not valid. Check it, or ask an admin for a new one.',
      );
    }
    if (this.options.authenticate) {
      const p = await this.options.authenticate(request);
      if (p) {
        if (!ROLES.includes(p.role))
          throw new UnauthenticatedError(
            `authenticate() returned an unknown role "${String(p.role)}".`,
          );
        return { principal: p, viaToken: false };
      }
    }
    if (this.options.anonymous !== undefined)
      return { principal: { id: 'anonymous', role: this.options.anonymous }, viaToken: false };
    throw new UnauthenticatedError();
  }
}
