/**
 * Which links may leave the app for the user's browser: https only, to an allow-listed host, with
 * no credentials in the URL. Plain Node; the Electron side calls `shell.openExternal` only with
 * what `allowedExternalUrl` returns.
 */

/** Hosts whose https pages may open in the user's browser: Certdesk's docs and the providers' docs and portals. */
export const EXTERNAL_HOSTS: ReadonlySet<string> = new Set([
  'docs.certdesk.invalid',
  'docs.cdnetworks.com',
  'www.cdnetworks.com',
  'gcore.com',
  'api.gcore.com',
  'docs.apinizer.com',
  'letsencrypt.org',
]);

/**
 * Certdesk's documentation (Help menu).
 *
 * A reserved `.invalid` name until the documentation site has its host, so no one else's site can
 * be opened by mistake; replace it here and in `EXTERNAL_HOSTS` together.
 */
export const DOCS_URL = 'https://docs.certdesk.invalid/';

/** The normalised URL when it may open externally, else null. */
export function allowedExternalUrl(raw: string, hosts: ReadonlySet<string> = EXTERNAL_HOSTS): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '') return null;
  return hosts.has(url.hostname) ? url.toString() : null;
}
