/**
 * Apinizer credentials → the `Authorization: Bearer …` token (providers.md §2).
 *
 * A Personal API Access Token is used as it is. With a username and password instead, the token
 * comes from `POST /apiops/auth/token` (form-encoded `grant_type=client_credentials`,
 * `client_id`, `client_secret`) and is cached until a minute before its `expires_in`. A 401 on
 * a later call makes the caller drop the cached token and fetch a new one once.
 */
import { CertdeskError } from '../../../shared/errors.js';
import type { HttpClient } from '../http.js';
import type { Clock } from '../rate-limiter.js';

/** How an Apinizer account signs in; the secrets are held in memory only. */
export type ApinizerCredentials =
  | { readonly token: string }
  | { readonly clientId: string; readonly clientSecret: string };

/** Refresh this long before the token's stated expiry. */
const EXPIRY_MARGIN_MS = 60_000;

/** Hands out the bearer token, fetching and caching one for client credentials. */
export class ApinizerTokenSource {
  private cached: { token: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly credentials: ApinizerCredentials,
    private readonly http: HttpClient,
    private readonly clock: Clock,
  ) {}

  /** True when a rejected token can be replaced by fetching a new one. */
  get renewable(): boolean {
    return 'clientId' in this.credentials;
  }

  /** The token to send now. */
  async token(): Promise<string> {
    if ('token' in this.credentials) return this.credentials.token;
    if (this.cached !== undefined && this.clock.now() < this.cached.expiresAt) return this.cached.token;
    this.pending ??= this.fetchToken(this.credentials).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Forgets the cached token (after a 401). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async fetchToken(credentials: { clientId: string; clientSecret: string }): Promise<string> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
    }).toString();
    // Issuing a token changes nothing on the server, so a lost answer may be retried.
    const response = await this.http.request({
      method: 'POST',
      path: '/auth/token',
      idempotent: true,
      operation: `sign in as ${credentials.clientId}`,
      prepare: () => ({
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: form,
      }),
    });
    const json = response.json();
    const body = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
    const token = body.access_token;
    if (typeof token !== 'string' || token === '') {
      throw new CertdeskError('PROVIDER_AUTH_FAILED', `Apinizer answered the sign-in for ${credentials.clientId} without an access token`, {
        provider: 'apinizer',
      });
    }
    const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 3600;
    this.cached = { token, expiresAt: this.clock.now() + Math.max(0, expiresIn * 1000 - EXPIRY_MARGIN_MS) };
    return token;
  }
}
