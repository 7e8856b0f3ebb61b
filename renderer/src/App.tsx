/** The application shell. The full UI (certificates, versions, deployments…) arrives with issue 5. */
import { useEffect, useState } from 'react';
import type { AppInfo } from '../../shared/api';

/** Top-level component. */
export function App(): React.JSX.Element {
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    let live = true;
    window.certdesk.app.info().then((i) => live && setInfo(i), () => undefined);
    return () => {
      live = false;
    };
  }, []);
  return (
    <main aria-label="Certdesk" style={{ fontFamily: 'system-ui, sans-serif', padding: 24 }}>
      <h1>Certdesk</h1>
      <p>Certificates, keys and deployments for CDN and API-gateway administrators.</p>
      <p data-testid="app-ready">{info ? `${info.name} ${info.version} on ${info.platform}` : 'Starting…'}</p>
    </main>
  );
}
