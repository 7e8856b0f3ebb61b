/** Application-menu commands from main (File, View, Help): open a screen, or flip between light and dark. */
import { useEffect, useEffectEvent } from 'react';
import type { MenuCommand } from '../../../shared/api.js';
import { assertNever } from '../../../shared/errors.js';
import type { FocusTarget } from '../../components/route-focus.js';
import { resolveTheme } from '../settings/theme.js';
import { useSettings, useUpdateSettings } from '../settings/use-settings.js';
import type { RouteId } from './routes.js';
import { useRoute } from './use-route.js';

/** What a menu command does in the window: open a screen (and focus one of its controls), or flip the theme. */
export type MenuAction = { readonly kind: 'route'; readonly route: RouteId; readonly focus?: FocusTarget } | { readonly kind: 'toggle-theme' };

/** The action of a menu command. */
export function menuAction(command: MenuCommand): MenuAction {
  switch (command) {
    case 'import-files':
      // One keypress from the chooser: a file input opens only on a user gesture, never from an IPC event.
      return { kind: 'route', route: 'import', focus: 'choose-files' };
    case 'generate-csr':
      return { kind: 'route', route: 'csr' };
    case 'show-certificates':
      return { kind: 'route', route: 'certificates' };
    case 'show-tasks':
      return { kind: 'route', route: 'tasks' };
    case 'show-expiry':
      return { kind: 'route', route: 'expiry' };
    case 'show-keys':
      return { kind: 'route', route: 'keys' };
    case 'toggle-dark-mode':
      return { kind: 'toggle-theme' };
    case 'show-help':
      return { kind: 'route', route: 'help' };
    default:
      return assertNever(command, 'menu command');
  }
}

/** Follows the application menu for as long as the component is mounted. */
export function useMenuCommands(): void {
  const [, go] = useRoute();
  const settings = useSettings();
  const update = useUpdateSettings();
  const onCommand = useEffectEvent((command: MenuCommand) => {
    const action = menuAction(command);
    if (action.kind === 'route') {
      go(action.route, { focus: action.focus });
      return;
    }
    // "Toggle" flips what is shown now, so from "system" it goes to the opposite of the OS's scheme.
    const shown = resolveTheme(settings.data?.theme ?? 'system', window.matchMedia('(prefers-color-scheme: dark)').matches);
    update.mutate({ theme: shown === 'dark' ? 'light' : 'dark' });
  });
  useEffect(() => window.certdesk.events.onMenuCommand(({ command }) => onCommand(command)), []);
}
