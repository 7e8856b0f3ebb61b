/** Screens whose data arrives with the provider services: they say so and point to what works today. */
import { PageHeader } from '../../components/PageHeader.js';
import { EmptyState } from '../../components/EmptyState.js';
import { hashOf } from '../shell/routes.js';

const COPY = {
  certificates: {
    title: 'Certificates',
    description: 'Every certificate across your provider accounts, with the version in staging and production and days to expiry.',
    empty: 'Certificates arrive with provider accounts',
    body: 'Once a provider account (or the built-in sandbox) is connected, its certificates are listed here. Meanwhile you can create keys and CSRs offline, and inspect certificate files.',
  },
  tasks: {
    title: 'Tasks',
    description: 'Running and finished deployments with live progress, failures and retries.',
    empty: 'No deployments yet',
    body: 'Deployments to staging and production appear here once provider accounts are connected.',
  },
  expiry: {
    title: 'Expiry',
    description: 'When certificates expire across every account and environment, and which need attention.',
    empty: 'Nothing to watch yet',
    body: 'Expiry dates are tracked for the certificates of your provider accounts. The warning threshold is set in Accounts & settings.',
  },
} as const;

/** A placeholder screen. */
export function PlaceholderView({ screen }: { screen: keyof typeof COPY }): React.JSX.Element {
  const copy = COPY[screen];
  return (
    <div className="page">
      <PageHeader title={copy.title} description={copy.description} />
      <section className="panel" aria-label={copy.title}>
        <EmptyState
          title={copy.empty}
          actions={
            <>
              <a className="btn btn-primary" href={hashOf('csr')}>
                Generate key &amp; CSR
              </a>
              <a className="btn" href={hashOf('import')}>
                Import / inspect files
              </a>
              <a className="btn" href={hashOf('keys')}>
                View keys
              </a>
            </>
          }
        >
          {copy.body}
        </EmptyState>
      </section>
    </div>
  );
}
