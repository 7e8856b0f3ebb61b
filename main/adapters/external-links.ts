/**
 * Which links may leave the app for the user's browser: https only, to an allow-listed host, with
 * no credentials in the URL. Plain Node; the Electron side calls `shell.openExternal` only with
 * what `allowedExternalUrl` returns.
 */

/** Hosts whose https pages may open in the user's browser: the providers' docs and portals, and Let's Encrypt. */
export const EXTERNAL_HOSTS: ReadonlySet<string> = new Set([
  'docs.cdnetworks.com',
  'www.cdnetworks.com',
  'gcore.com',
  'api.gcore.com',
  'docs.apinizer.com',
  'letsencrypt.org',
]);

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
