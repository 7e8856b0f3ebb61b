// @vitest-environment jsdom
// Application-menu commands in the whole shell (App over a fake window.certdesk that can emit
// events): File › Import files… opens Import with focus on "Choose files…" (never opening the
// chooser itself), again when already there; other commands and the sidebar still focus the heading.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNELS, type MenuCommand } from '../../shared/api.js';
import { createApi, type Envelope } from '../../shared/api-client.js';
import { pendingFocus, requestFocus } from '../../renderer/components/route-focus.js';
import { menuAction } from '../../renderer/features/shell/use-menu-commands.js';
import { App } from '../../renderer/src/App.js';

const ANSWERS: Readonly<Record<string, unknown>> = {
  'app:info': { name: 'Certdesk', version: 'test', platform: 'linux' },
  'settings:get': { theme: 'light', expiryThresholdDays: 30 },
  'keys:list': [],
  'csr:pending': [],
};

let listeners: Map<string, Set<(payload: unknown) => void>>;

/** Sends a menu command as main does when the menu item or its shortcut is used. */
function menu(command: MenuCommand): void {
  act(() => {
    for (const listener of listeners.get(EVENT_CHANNELS.menuCommand) ?? []) listener({ command });
  });
}

function renderApp(): void {
  listeners = new Map();
  const api = createApi({
    invoke: async (channel): Promise<Envelope> =>
      channel in ANSWERS ? { ok: true, value: ANSWERS[channel] } : { ok: false, error: { code: 'USAGE', message: `no answer for ${channel}` } },
    subscribe: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set.add(listener));
      return () => set.delete(listener);
    },
  });
  Object.defineProperty(window, 'certdesk', { value: api, configurable: true });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <App />
    </QueryClientProvider>,
  );
}

const chooseFiles = (): HTMLElement => screen.getByRole('button', { name: 'Choose files…' });
const heading = (name: string): HTMLElement => screen.getByRole('heading', { level: 1, name });

beforeEach(() => {
  window.location.hash = '#/keys';
  vi.stubGlobal('matchMedia', (query: string) => ({ matches: false, media: query, addEventListener: () => undefined, removeEventListener: () => undefined }));
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('menu commands', () => {
  it('maps Import files… to the Import screen with the chooser button as focus target', () => {
    expect(menuAction('import-files')).toEqual({ kind: 'route', route: 'import', focus: 'choose-files' });
    expect(menuAction('show-keys')).toEqual({ kind: 'route', route: 'keys' });
    expect(menuAction('show-help')).toEqual({ kind: 'route', route: 'help' });
  });

  it('Import files… lands focus on "Choose files…" without opening the chooser, again when already there', async () => {
    const click = vi.spyOn(HTMLInputElement.prototype, 'click');
    const focused: Element[] = [];
    const onFocus = (e: FocusEvent): void => void focused.push(e.target as Element);
    document.addEventListener('focusin', onFocus);
    renderApp();
    expect(await screen.findByRole('heading', { level: 1, name: 'Keys' })).toBeTruthy();

    menu('import-files');
    await waitFor(() => expect(document.activeElement).toBe(chooseFiles()));
    expect(window.location.hash).toBe('#/import');
    expect(pendingFocus()).toBeNull();
    // Straight to the button: the heading does not take focus on the way (one announcement, not two).
    expect(focused).toEqual([chooseFiles()]);
    document.removeEventListener('focusin', onFocus);

    // Already on Import, focus elsewhere: the command brings it back to the button.
    screen.getByRole('textbox', { name: 'Or paste PEM text' }).focus();
    menu('import-files');
    await waitFor(() => expect(document.activeElement).toBe(chooseFiles()));
    expect(click).not.toHaveBeenCalled();

    // Enter on the focused button is the user's gesture that opens the chooser.
    await userEvent.keyboard('{Enter}');
    expect(click).toHaveBeenCalledTimes(1);
  });

  it('other commands and later visits through the sidebar focus the heading (the request is one-shot)', async () => {
    renderApp();
    await screen.findByRole('heading', { level: 1, name: 'Keys' });
    menu('import-files');
    await waitFor(() => expect(document.activeElement).toBe(chooseFiles()));

    menu('show-keys');
    await waitFor(() => expect(document.activeElement).toBe(heading('Keys')));
    menu('show-help');
    await waitFor(() => expect(document.activeElement).toBe(heading('Help')));
    expect(window.location.hash).toBe('#/help');
    await userEvent.click(screen.getByRole('link', { name: 'Import / inspect' }));
    await waitFor(() => expect(document.activeElement).toBe(heading('Import / inspect')));
  });

  it('drops a request the screen shown did not answer (the user went elsewhere first)', async () => {
    renderApp();
    await screen.findByRole('heading', { level: 1, name: 'Keys' });
    act(() => requestFocus('import', 'choose-files'));
    await userEvent.click(screen.getByRole('link', { name: 'Generate key & CSR' }));
    await waitFor(() => expect(pendingFocus()).toBeNull());
    await userEvent.click(screen.getByRole('link', { name: 'Import / inspect' }));
    await waitFor(() => expect(document.activeElement).toBe(heading('Import / inspect')));
  });
});
