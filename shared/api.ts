/**
 * The typed contract between the renderer and main: what `window.certdesk` offers.
 *
 * The preload implements it over IPC, main registers one handler per method, and the e2e bridge
 * implements it over Playwright — all from this one declaration. Nothing here returns private key
 * material or account secrets.
 */

/** Facts about the running app. */
export interface AppInfo {
  readonly name: string;
  readonly version: string;
  readonly platform: string;
}

/** Everything the renderer may call. Grows namespace by namespace (accounts, certificates, keys…). */
export interface CertdeskApi {
  readonly app: {
    /** Name, version and platform of the running app. */
    info(): Promise<AppInfo>;
  };
}

/** IPC channel names, `domain:verb`, one per API method. */
export const CHANNELS = {
  appInfo: 'app:info',
} as const;
