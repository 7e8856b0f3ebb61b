/**
 * Hardening that applies to every web page of the app, not only the main window: a strict CSP on
 * every response, permissions denied (except writing to the clipboard), and for every webContents
 * ever created (a devtools page, anything a future feature opens) no `<webview>`, no navigation
 * away and no new windows; an http(s) link goes to the browser only through the allow-list.
 */
import type { App, Session } from 'electron';

/** The Content-Security-Policy of every page. */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** The one permission the UI uses: copying a CSR or a fingerprint. */
const ALLOWED_PERMISSION = 'clipboard-sanitized-write';

/** CSP header on every response; permission requests and checks denied but clipboard writes. */
export function hardenSession(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  session.setPermissionRequestHandler((_wc, permission, callback) => callback(permission === ALLOWED_PERMISSION));
  session.setPermissionCheckHandler((_wc, permission) => permission === ALLOWED_PERMISSION);
}

/** Guards every webContents the app creates; call before the first window. */
export function guardWebContents(app: App, openLink: (url: string) => void): void {
  app.on('web-contents-created', (_event, contents) => {
    // <webview> would be a second, unhardened renderer.
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      openLink(url);
      return { action: 'deny' };
    });
    // The UI routes by hash, which is not a navigation: any real navigation leaves the app.
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-frame-navigate', (event) => {
      if (!event.isMainFrame) event.preventDefault();
    });
  });
}
