// @vitest-environment jsdom
// The theme choice: shown in the same render as the click (a keyboard or mouse user sees it move at
// once, not a task later when main answers), kept once main saved it, put back when main refuses.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Settings } from '../../shared/api.js';
import { SettingsView } from '../../renderer/features/settings/SettingsView.js';
import { coded, renderWithApi } from './render.js';

afterEach(cleanup);

const radio = (name: RegExp): HTMLInputElement => screen.getByRole('radio', { name }) as HTMLInputElement;

describe('SettingsView theme', () => {
  it('checks the chosen theme at once, keeps it when saved and restores the saved one when main refuses', async () => {
    const answers: { resolve: (s: Settings) => void; reject: (e: Error) => void }[] = [];
    renderWithApi(<SettingsView />, {
      'settings:get': { theme: 'system', expiryThresholdDays: 30 },
      'accounts:list': [],
      'settings:set': () => new Promise<Settings>((resolve, reject) => answers.push({ resolve, reject })),
    });
    await waitFor(() => expect(radio(/^Dark/).disabled).toBe(false));
    expect(radio(/^System/).checked).toBe(true);

    fireEvent.click(radio(/^Dark/));
    // No await: the click's own render shows it.
    expect(radio(/^Dark/).checked).toBe(true);
    expect(radio(/^System/).checked).toBe(false);
    await waitFor(() => expect(answers).toHaveLength(1));
    answers[0]?.resolve({ theme: 'dark', expiryThresholdDays: 30 });
    await waitFor(() => expect(radio(/^Dark/).checked).toBe(true));

    fireEvent.click(radio(/^Light/));
    expect(radio(/^Light/).checked).toBe(true);
    await waitFor(() => expect(answers).toHaveLength(2));
    answers[1]?.reject(coded('STORE_WRITE_FAILED', 'Could not write the settings: disk full'));
    await waitFor(() => expect(radio(/^Dark/).checked).toBe(true));
    expect(radio(/^Light/).checked).toBe(false);
    expect(await screen.findByText(/disk full/)).toBeTruthy();
  });
});
