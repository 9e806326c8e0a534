import { CrossSiteRequestError } from '../errors.js';

/**
 * CSRF guard for mutations. A bearer token is never sent by a browser on its own, so a
 * request authenticated by one cannot be forged cross-site; every other mutation (cookie
 * or host auth, anonymous) must come from the admin's own origin: `Sec-Fetch-Site` of
 * `same-origin` (or `none`, typed by the user), else an `Origin` equal to the request's
 * own origin or one of `trustedOrigins`. Every mutation must be JSON, which a plain
 * HTML form cannot send.
 */
export function assertSameOrigin(
  request: Request,
  viaToken: boolean,
  trustedOrigins: readonly string[],
): void {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type))
    throw new CrossSiteRequestError(
      `content-type must be application/json (got "${type || 'none'}")`,
    );
  if (viaToken) return;
  const site = request.headers.get('sec-fetch-site');
  if (site !== null) {
    if (site === 'same-origin' || site === 'none') return;
    throw new CrossSiteRequestError(`Sec-Fetch-Site is "${site}"`);
  }
  const origin = request.headers.get('origin');
  if (origin === null) throw new CrossSiteRequestError('no Origin or Sec-Fetch-Site header');
  const own = new URL(request.url).origin;
  if (origin !== own && !trustedOrigins.includes(origin))
    throw new CrossSiteRequestError(`Origin ${origin} is not ${own}`);
}
