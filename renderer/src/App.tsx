/** The application shell: sidebar, the current screen, the theme. */
import { useEffect, useState } from 'react';
import { dropFocusRequest, RouteFocusContext } from '../components/route-focus.js';
import { CertificatesView } from '../features/certificates/CertificatesView.js';
import { CsrWizard } from '../features/csr/CsrWizard.js';
import { ExpiryView } from '../features/expiry/ExpiryView.js';
import { HelpView } from '../features/help/HelpView.js';
import { ImportView } from '../features/import/ImportView.js';
import { KeysView } from '../features/keys/KeysView.js';
import { SettingsView } from '../features/settings/SettingsView.js';
import { useSettings } from '../features/settings/use-settings.js';
import { useApplyTheme } from '../features/settings/theme.js';
import { Sidebar } from '../features/shell/Sidebar.js';
import type { RouteId } from '../features/shell/routes.js';
import { useAppInfo } from '../features/shell/use-app-info.js';
import { useMenuCommands } from '../features/shell/use-menu-commands.js';
import { useRoute } from '../features/shell/use-route.js';
import { TasksView } from '../features/tasks/TasksView.js';
import { assertNever } from '../../shared/errors.js';

function Screen({ route }: { route: RouteId }): React.JSX.Element {
  switch (route) {
    case 'certificates':
      return <CertificatesView />;
    case 'tasks':
      return <TasksView />;
    case 'expiry':
      return <ExpiryView />;
    case 'keys':
      return <KeysView />;
    case 'csr':
      return <CsrWizard />;
    case 'import':
      return <ImportView />;
    case 'settings':
      return <SettingsView />;
    case 'help':
      return <HelpView />;
    default:
      return assertNever(route, 'route');
  }
}

/** Top-level component. */
export function App(): React.JSX.Element {
  const [route] = useRoute();
  const [firstRoute] = useState(route);
  const [navigated, setNavigated] = useState(false);
  if (!navigated && route !== firstRoute) setNavigated(true);
  // A focus request the screen shown did not answer is not kept for a later visit.
  useEffect(() => dropFocusRequest(route), [route]);
  const info = useAppInfo();
  const settings = useSettings();
  useApplyTheme(settings.data?.theme);
  useMenuCommands();
  return (
    <div className="app">
      <a className="skip-link" href="#main-content">
        Skip to content
      </a>
      <Sidebar current={route} version={info.data ? `${info.data.version}` : null} />
      <main className="content" id="main-content" aria-label="Certdesk">
        {info.data ? (
          <span data-testid="app-ready" className="visually-hidden">
            {`${info.data.name} ${info.data.version} on ${info.data.platform}`}
          </span>
        ) : null}
        <RouteFocusContext value={navigated}>
          <Screen key={route} route={route} />
        </RouteFocusContext>
      </main>
    </div>
  );
}
