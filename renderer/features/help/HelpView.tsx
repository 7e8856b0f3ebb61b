/**
 * Help (Help › Certdesk help, F1): the common jobs as the app does them, where keys live, the
 * Sandbox account, the keyboard shortcuts and the CLI. Everything is in the app, so it works
 * offline; the menu shortcuts come from shared/menu-commands.ts, the data the menu is built from.
 */
import { MENU_SHORTCUTS, formatAccelerator } from '../../../shared/menu-commands.js';
import { Badge } from '../../components/Badge.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useSettings } from '../settings/use-settings.js';
import { hashOf } from '../shell/routes.js';
import { useAppInfo } from '../shell/use-app-info.js';

/** Keys the window handles itself (not menu items). */
const WINDOW_KEYS: readonly { readonly keys: readonly string[]; readonly does: string }[] = [
  { keys: ['Tab'], does: 'First stop: “Skip to content”, then the sidebar, then the screen' },
  { keys: ['↑', '↓', 'Home', 'End'], does: 'Move between the screens in the sidebar' },
  { keys: ['Enter'], does: 'Open the focused screen; its heading takes focus' },
  { keys: ['Esc'], does: 'Close a dialog without doing anything' },
];

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }): React.JSX.Element {
  return (
    <section className="panel" aria-labelledby={`help-${id}`}>
      <div className="panel-header">
        <h2 id={`help-${id}`}>{title}</h2>
      </div>
      <div className="panel-body">{children}</div>
    </section>
  );
}

function Keys({ keys }: { keys: readonly string[] }): React.JSX.Element {
  return (
    <span className="row" style={{ gap: 4 }}>
      {keys.map((k) => (
        <kbd key={k}>{k}</kbd>
      ))}
    </span>
  );
}

function Shortcuts({ platform }: { platform: string }): React.JSX.Element {
  return (
    <>
      <h3 id="help-shortcuts-menu">From the menu</h3>
      <table className="table" aria-labelledby="help-shortcuts-menu">
        <thead>
          <tr>
            <th scope="col">Shortcut</th>
            <th scope="col">Menu item</th>
          </tr>
        </thead>
        <tbody>
          {MENU_SHORTCUTS.map((s) => (
            <tr key={s.command}>
              <td>
                <kbd>{formatAccelerator(s.accelerator, platform)}</kbd>
              </td>
              <td>{`${s.menu} › ${s.label}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3 id="help-shortcuts-window">In the window</h3>
      <table className="table" aria-labelledby="help-shortcuts-window">
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">What they do</th>
          </tr>
        </thead>
        <tbody>
          {WINDOW_KEYS.map((w) => (
            <tr key={w.keys.join(' ')}>
              <td>
                <Keys keys={w.keys} />
              </td>
              <td>{w.does}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** The Help screen. */
export function HelpView(): React.JSX.Element {
  const info = useAppInfo();
  const settings = useSettings();
  const threshold = settings.data?.expiryThresholdDays;
  return (
    <div className="page">
      <PageHeader title="Help" description="How Certdesk does the everyday jobs, where your keys are, and the shortcuts. Nothing here needs a network." />

      <Section id="renew" title="Renew a certificate">
        <p>
          Open the certificate from <a href={hashOf('certificates')}>Certificates</a>. Every change makes a new, immutable version; nothing reaches a server until you
          deploy it.
        </p>
        <dl className="dl">
          <dt>With files you have</dt>
          <dd>
            <strong>New version</strong> → <strong>Certificate files</strong>: drop or paste the certificate, its chain and its private key (PEM, DER, PKCS#7 or
            PKCS#12). Certdesk checks that the key belongs to the certificate and that the chain is complete before it uploads anything.
          </dd>
          <dt>Through a CSR, same key</dt>
          <dd>
            <strong>CSR of latest version</strong> gives the request to send to your CA. When the signed certificate comes back, add it as a{' '}
            <strong>New version</strong> without a key file: the key is carried over.
          </dd>
          <dt>Re-key</dt>
          <dd>
            <strong>Re-key…</strong> makes a new key and a CSR for the names of the latest version. The request waits under <a href={hashOf('keys')}>Keys</a> ›
            Pending certificate requests; drop the signed certificate on <strong>New version</strong> and Certdesk finds its new key in the vault. The old version
            stays deployed until you deploy the new one.
          </dd>
          <dt>A new key and CSR for anything else</dt>
          <dd>
            <a href={hashOf('csr')}>Generate key &amp; CSR</a> walks through key type, subject and names, and checks the request before you send it.
          </dd>
        </dl>
      </Section>

      <Section id="deploy" title="Deploy, promote, roll back">
        <ol className="stack" style={{ margin: 0, paddingLeft: 20 }}>
          <li>
            In the certificate’s <strong>Environments</strong>, choose the version and <strong>Deploy to staging…</strong>. Test your site against staging.
          </li>
          <li>
            <strong>Promote staging → production…</strong> deploys the version staging holds to production.
          </li>
          <li>
            If something is wrong, <strong>Roll back production to version N…</strong> deploys the version that was there before.
          </li>
        </ol>
        <p>
          Each of these shows what changes (names, subject, issuer, key, validity) and asks you to confirm. A deployment runs as a task with its progress under{' '}
          <a href={hashOf('tasks')}>Tasks</a>; it goes on after Certdesk restarts, and a failed one shows the provider’s message and can be retried.
        </p>
      </Section>

      <Section id="remove" title="Undeploy and delete">
        <p>
          <strong>Undeploy from staging…</strong> and <strong>Undeploy from production…</strong> remove the certificate there; first they list the names that
          would lose their certificate, so deploy a replacement before undeploying anything still in use. A certificate can be deleted (<strong>Delete certificate</strong>, at the
          bottom of its page) only once it is deployed nowhere.
        </p>
      </Section>

      <Section id="expiry" title="Expiry alerts">
        <p>
          A certificate that expires within the warning threshold, or has expired, is marked <Badge tone="danger">Expiring</Badge> on{' '}
          <a href={hashOf('certificates')}>Certificates</a>. <a href={hashOf('expiry')}>Expiry</a> puts every environment on a timeline, with what needs attention
          first. While Certdesk runs it also tells you in a desktop notification, at most once a day for each certificate and state.
        </p>
        <p>
          {threshold !== undefined ? `The threshold is ${threshold} days now; change it` : 'Change the threshold'} under{' '}
          <a href={hashOf('settings')}>Accounts &amp; settings</a> › Expiry warnings.
        </p>
      </Section>

      <Section id="keys" title="Where your keys are">
        <p>
          Private keys live in Certdesk’s vault on this computer, encrypted with a key that the operating system’s keychain holds (Keychain on macOS, Credential
          Manager on Windows, the Secret Service on Linux). Certdesk never shows a private key, and provider account secrets are kept in the keychain only.
        </p>
        <p>
          To take a key elsewhere, use <strong>Export…</strong> on <a href={hashOf('keys')}>Keys</a>: it writes an encrypted PKCS#8 or PKCS#12 file protected by a
          password you choose, which Certdesk does not store.
        </p>
      </Section>

      <Section id="sandbox" title="The Sandbox account">
        <p>
          A fresh install has an account named <strong>Sandbox</strong>: a simulation of CDN Pro that runs on this computer. It behaves like the real provider,
          deployments that take minutes included, so you can try every workflow here without touching a live certificate. Add your provider accounts under{' '}
          <a href={hashOf('settings')}>Accounts &amp; settings</a>.
        </p>
      </Section>

      <Section id="shortcuts" title="Keyboard shortcuts">
        <Shortcuts platform={info.data?.platform ?? ''} />
      </Section>

      <Section id="cli" title="Command line">
        <p>
          The <code>certdesk</code> command does the same jobs from a terminal or a script, on the same vault and accounts as this window. <code>certdesk --help</code>{' '}
          lists the commands; <code>certdesk sandbox</code> runs the Sandbox for it.
        </p>
      </Section>
    </div>
  );
}
