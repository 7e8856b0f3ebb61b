import type { CertdeskApi } from '../../shared/api';

declare global {
  interface Window {
    /** The typed API exposed by the preload. */
    readonly certdesk: CertdeskApi;
  }
}
