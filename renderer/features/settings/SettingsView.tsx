/** Accounts & settings: provider accounts (secrets in the OS keychain), the theme, and the expiry warning window. */
import { useId, useState, type FormEvent } from 'react';
import { THEMES, type Theme } from '../../../shared/api.js';
import { errorMessage, Notice } from '../../components/Notice.js';
import { PageHeader } from '../../components/PageHeader.js';
import { AccountsPanel } from '../accounts/AccountsPanel.js';
import { useSettings, useUpdateSettings } from './use-settings.js';

const THEME_LABELS: Readonly<Record<Theme, { title: string; hint: string }>> = {
  system: { title: 'System', hint: 'Follow the operating system' },
  light: { title: 'Light', hint: 'Dark text on light backgrounds' },
  dark: { title: 'Dark', hint: 'Light text on dark backgrounds' },
};

function ThresholdForm({ current }: { current: number }): React.JSX.Element {
  // What the user is typing; null shows the saved value.
  const [draft, setDraft] = useState<string | null>(null);
  const value = draft ?? String(current);
  const update = useUpdateSettings();
  const id = useId();
  const days = Number(value);
  const invalid = !Number.isInteger(days) || days < 1 || days > 365;
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (!invalid) update.mutate({ expiryThresholdDays: days }, { onSuccess: () => setDraft(null) });
  };
  return (
    <form className="stack" onSubmit={submit} aria-label="Expiry threshold">
      <div className="row" style={{ alignItems: 'flex-end' }}>
        <div className="field">
          <label htmlFor={id}>Warn before expiry (days)</label>
          <input
            id={id}
            className="input"
            type="number"
            min={1}
            max={365}
            inputMode="numeric"
            value={value}
            onChange={(e) => setDraft(e.target.value)}
            aria-invalid={invalid ? true : undefined}
            aria-describedby={`${id}-hint`}
            style={{ width: 120 }}
          />
        </div>
        <button type="submit" className="btn btn-primary" disabled={invalid || update.isPending || draft === null}>
          Save
        </button>
      </div>
      <span id={`${id}-hint`} className={invalid ? 'error-text small' : 'muted small'}>
        {invalid ? 'Enter a whole number of days from 1 to 365.' : 'Certificates within this many days of expiry are marked as expiring and you are told about them.'}
      </span>
      {update.isSuccess ? <Notice tone="success">Saved.</Notice> : null}
      {update.isError ? <Notice tone="danger">{errorMessage(update.error)}</Notice> : null}
    </form>
  );
}

/** The Accounts & settings screen. */
export function SettingsView(): React.JSX.Element {
  const settings = useSettings();
  const update = useUpdateSettings();
  // The choice shows in the same render as the click (the query's update arrives a task later);
  // main's answer, or its refusal, then decides.
  const [chosen, setChosen] = useState<{ readonly theme: Theme; readonly over: Theme | undefined } | null>(null);
  const saved = settings.data?.theme;
  // Holds only until the saved theme moves on from the one the click was made over.
  if (chosen !== null && chosen.over !== saved) setChosen(null);
  const shownTheme = chosen !== null && chosen.over === saved ? chosen.theme : saved;
  const choose = (theme: Theme): void => {
    setChosen({ theme, over: saved });
    update.mutate({ theme }, { onError: () => setChosen(null) });
  };
  return (
    <div className="page">
      <PageHeader title="Accounts & settings" description="Provider accounts, how Certdesk looks, and when it warns about expiry." />
      <AccountsPanel />
      {settings.isError ? (
        <Notice tone="danger" title="Preferences could not be read">
          {errorMessage(settings.error)}
        </Notice>
      ) : null}
      <section className="panel" aria-labelledby="appearance-heading">
        <div className="panel-header">
          <h2 id="appearance-heading">Appearance</h2>
        </div>
        <div className="panel-body">
          <fieldset>
            <legend>Theme</legend>
            <div className="radio-cards" style={{ maxWidth: 620 }}>
              {THEMES.map((t) => (
                <label className="radio-card" key={t}>
                  <input type="radio" name="theme" value={t} checked={shownTheme === t} disabled={!settings.data} onChange={() => choose(t)} />
                  <span>
                    <span className="title">{THEME_LABELS[t].title}</span>
                    <br />
                    <span className="muted small">{THEME_LABELS[t].hint}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
          {update.isError ? <Notice tone="danger">{errorMessage(update.error)}</Notice> : null}
        </div>
      </section>
      <section className="panel" aria-labelledby="expiry-heading">
        <div className="panel-header">
          <h2 id="expiry-heading">Expiry warnings</h2>
        </div>
        <div className="panel-body">{settings.data ? <ThresholdForm current={settings.data.expiryThresholdDays} /> : <p className="muted">Loading…</p>}</div>
      </section>
    </div>
  );
}
