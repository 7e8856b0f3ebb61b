// The external-link allow-list: https to a listed host only, normalised; no reserved placeholder
// host (Help is in the app now, so nothing links to a documentation site that does not exist).
import { describe, expect, it } from 'vitest';
import { allowedExternalUrl, EXTERNAL_HOSTS } from '../../../../main/adapters/external-links.js';

describe('allowedExternalUrl', () => {
  it('lets https links to allow-listed hosts through, normalised', () => {
    expect(allowedExternalUrl('https://docs.cdnetworks.com/cdn-pro')).toBe('https://docs.cdnetworks.com/cdn-pro');
    expect(allowedExternalUrl('HTTPS://Letsencrypt.ORG')).toBe('https://letsencrypt.org/');
  });

  it('refuses other schemes, hosts, look-alikes, credentials and ports', () => {
    for (const url of [
      'http://docs.cdnetworks.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'https://evil.example/',
      'https://docs.cdnetworks.com.evil.example/',
      'https://evil.example/?https://gcore.com',
      'https://user:pw@gcore.com/',
      'https://gcore.com:8443/',
      'not a url',
      '',
    ]) {
      expect(allowedExternalUrl(url), url).toBeNull();
    }
  });

  it('uses the hosts it is given instead of the default list', () => {
    expect(allowedExternalUrl('https://example.org/x', new Set(['example.org']))).toBe('https://example.org/x');
    expect(allowedExternalUrl('https://gcore.com/', new Set(['example.org']))).toBeNull();
  });

  it('lists only real hosts: no reserved names such as the old .invalid documentation placeholder', () => {
    expect(EXTERNAL_HOSTS.size).toBeGreaterThan(0);
    for (const host of EXTERNAL_HOSTS) expect(host, host).not.toMatch(/\.(invalid|example|test|localhost)$/);
    expect(allowedExternalUrl('https://docs.certdesk.invalid/')).toBeNull();
  });
});
