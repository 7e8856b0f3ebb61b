/**
 * Renders a view as the app does (TanStack Query provider) over a fake `window.certdesk` built
 * by the real createApi from a table of answers, so views are tested through the real contract.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { createApi, type Envelope } from '../../shared/api-client.js';

/** What the fake main answers, by channel; a function receives the call's arguments. */
export type Answers = Readonly<Record<string, unknown | ((...args: unknown[]) => unknown)>>;

/** Every call the view made. */
export interface Calls {
  readonly list: { channel: string; args: readonly unknown[] }[];
}

/** Installs window.certdesk over `answers` and renders `ui`. */
export function renderWithApi(ui: ReactElement, answers: Answers): RenderResult & { calls: Calls } {
  const calls: Calls = { list: [] };
  const api = createApi(async (channel, args): Promise<Envelope> => {
    calls.list.push({ channel, args });
    const answer = answers[channel];
    if (answer === undefined) return { ok: false, error: { code: 'USAGE', message: `no answer for ${channel}` } };
    try {
      return { ok: true, value: typeof answer === 'function' ? await (answer as (...a: unknown[]) => unknown)(...args) : answer };
    } catch (err) {
      const e = err as { code?: string; message: string };
      return { ok: false, error: { code: e.code ?? 'INTERNAL', message: e.message } };
    }
  });
  Object.defineProperty(window, 'certdesk', { value: api, configurable: true });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const result = render(<QueryClientProvider client={client}>{ui}</QueryClientProvider>);
  return Object.assign(result, { calls });
}

/** An error with a code, as main's envelope would carry it. */
export function coded(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}
