/**
 * Builds the provider client for an account: the one place that knows which client class serves
 * which provider kind, and how an account record plus its keychain secret become client options.
 *
 * Clients are imported lazily so a command that talks to one provider loads only that client.
 * Services receive a `ProviderFactory` by injection; tests pass options (fast clocks, no rate
 * limiter) or a factory of their own.
 */
import { CertdeskError } from '../../shared/errors.js';
import type { CdnProClientOptions } from '../providers/cdnpro/client.js';
import type { ApinizerClientOptions } from '../providers/apinizer/client.js';
import type { GcoreClientOptions } from '../providers/gcore/client.js';
import type { ProviderClient, ProviderKind } from '../providers/types.js';
import type { AccountRecord } from '../store/schema.js';

/** Makes the client for an account; `secret` comes from the keychain and stays in memory. */
export type ProviderFactory = (account: AccountRecord, secret: string) => Promise<ProviderClient>;

/** Per-provider client options (clock, sleep, timeouts, rate limiters…). */
export interface ProviderFactoryOptions {
  readonly cdnpro?: CdnProClientOptions;
  readonly apinizer?: ApinizerClientOptions;
  readonly gcore?: GcoreClientOptions;
}

/** Human names of the providers, for messages. */
export const PROVIDER_LABELS: Readonly<Record<ProviderKind, string>> = {
  cdnpro: 'CDN Pro',
  apinizer: 'Apinizer',
  gcore: 'Gcore',
};

/** The factory the app and the CLI use. */
export function createProviderFactory(options: ProviderFactoryOptions = {}): ProviderFactory {
  return async (account, secret) => {
    switch (account.provider) {
      case 'cdnpro': {
        const { createCdnProClient } = await import('../providers/cdnpro/client.js');
        if (account.user === undefined || account.user === '') {
          throw new CertdeskError('INVALID_ARGUMENT', `Account "${account.name}" has no API user; CDN Pro signs every request with it`);
        }
        return createCdnProClient({ baseUrl: account.endpoint, user: account.user, apiKey: secret }, options.cdnpro ?? {});
      }
      case 'apinizer': {
        const { createApinizerClient } = await import('../providers/apinizer/client.js');
        if (account.project === undefined || account.project === '') {
          throw new CertdeskError('INVALID_ARGUMENT', `Account "${account.name}" has no project; Apinizer keeps certificates per project`);
        }
        // With a user the secret is its password (client credentials); without, a personal access token.
        const credentials = account.user !== undefined && account.user !== '' ? { clientId: account.user, clientSecret: secret } : { token: secret };
        return createApinizerClient(
          { managerUrl: account.endpoint, projectName: account.project, environments: account.environments ?? [], credentials },
          options.apinizer ?? {},
        );
      }
      case 'gcore': {
        const { createGcoreClient } = await import('../providers/gcore/client.js');
        return account.mode === 'protection'
          ? createGcoreClient({ mode: 'protection', baseUrl: account.endpoint, token: secret }, options.gcore ?? {})
          : createGcoreClient({ mode: 'cdn', baseUrl: account.endpoint, apiKey: secret }, options.gcore ?? {});
      }
    }
  };
}

/**
 * The id to hand a provider for a certificate Certdesk knows by `id`. A Gcore CDN certificate
 * created locally (not uploaded yet, or deleted by an undeploy) has no numeric id; the client
 * then creates it under its name on the next deploy.
 */
export function providerCertificateId(account: AccountRecord, id: string): string {
  return account.provider === 'gcore' && account.mode !== 'protection' && !/^\d+$/.test(id) ? '' : id;
}
