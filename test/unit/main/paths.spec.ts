import { describe, expect, it } from 'vitest';
import { resolveDataDir } from '../../../main/paths.js';

describe('resolveDataDir', () => {
  const home = '/home/ada';

  it('prefers --data-dir, then CERTDESK_DATA_DIR', () => {
    const env = { CERTDESK_DATA_DIR: '/srv/certdesk', XDG_CONFIG_HOME: '/x' };
    expect(resolveDataDir({ flag: '/tmp/d', env, platform: 'linux', home })).toBe('/tmp/d');
    expect(resolveDataDir({ env, platform: 'linux', home })).toBe('/srv/certdesk');
  });

  it('resolves relative paths against the working directory', () => {
    expect(resolveDataDir({ flag: 'data', env: {}, platform: 'linux', home, cwd: '/work' })).toBe('/work/data');
    expect(resolveDataDir({ env: { CERTDESK_DATA_DIR: '../d' }, platform: 'linux', home, cwd: '/work/x' })).toBe('/work/d');
  });

  it('treats an empty CERTDESK_DATA_DIR as unset and refuses an empty flag', () => {
    expect(resolveDataDir({ env: { CERTDESK_DATA_DIR: '' }, platform: 'linux', home })).toBe('/home/ada/.config/Certdesk');
    expect(() => resolveDataDir({ flag: ' ', env: {}, platform: 'linux', home })).toThrow(/--data-dir is empty/);
  });

  it("uses Electron's userData for the app name Certdesk on Linux", () => {
    expect(resolveDataDir({ env: {}, platform: 'linux', home })).toBe('/home/ada/.config/Certdesk');
    expect(resolveDataDir({ env: { XDG_CONFIG_HOME: '/cfg' }, platform: 'linux', home })).toBe('/cfg/Certdesk');
    expect(resolveDataDir({ env: { XDG_CONFIG_HOME: '' }, platform: 'linux', home })).toBe('/home/ada/.config/Certdesk');
    expect(resolveDataDir({ env: {}, platform: 'freebsd', home })).toBe('/home/ada/.config/Certdesk');
  });

  it('on macOS', () => {
    expect(resolveDataDir({ env: {}, platform: 'darwin', home: '/Users/ada' })).toBe(
      '/Users/ada/Library/Application Support/Certdesk',
    );
  });

  it('on Windows', () => {
    const h = 'C:\\Users\\ada';
    expect(resolveDataDir({ env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, platform: 'win32', home: h })).toBe(
      'C:\\Users\\ada\\AppData\\Roaming\\Certdesk',
    );
    expect(resolveDataDir({ env: {}, platform: 'win32', home: h })).toBe('C:\\Users\\ada\\AppData\\Roaming\\Certdesk');
    expect(resolveDataDir({ flag: 'D:\\certs', env: {}, platform: 'win32', home: h, cwd: 'C:\\' })).toBe('D:\\certs');
  });

  it('uses this process by default', () => {
    expect(resolveDataDir({ flag: '/abs' })).toBe('/abs');
  });
});
