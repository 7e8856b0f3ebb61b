/**
 * Explicit export of a vault key: always encrypted with a password the user types twice, as
 * encrypted PKCS#8 or as PKCS#12 with the key's certificate and chain; main asks where to save.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { KeyExportFormat, KeySummary } from '../../../shared/api.js';
import { errorMessage, Notice } from '../../components/Notice.js';
import { useExportKey } from './use-keys.js';

/** The export dialog; `keyToExport` null closes it. */
export function ExportKeyDialog({ keyToExport, onDone }: { keyToExport: KeySummary | null; onDone: () => void }): React.JSX.Element {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const ids = { pw: useId(), again: useId(), legacy: useId() };
  const exporter = useExportKey();
  const [format, setFormat] = useState<KeyExportFormat>('pkcs12');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [legacy, setLegacy] = useState(false);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (keyToExport !== null && !dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    } else if (keyToExport === null && dialog.open) {
      if (typeof dialog.close === 'function') dialog.close();
      else dialog.removeAttribute('open');
    }
  }, [keyToExport]);
  const close = (): void => {
    setPassword('');
    setAgain('');
    exporter.reset();
    onDone();
  };
  const mismatch = again !== '' && again !== password;
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (keyToExport === null || password === '' || password !== again) return;
    exporter.mutate(
      { id: keyToExport.id, format, password, ...(format === 'pkcs12' && legacy ? { legacy: true } : {}) },
      {
        onSuccess: () => {
          // The password is not kept once the file is written.
          setPassword('');
          setAgain('');
        },
      },
    );
  };
  return (
    <dialog ref={ref} className="confirm" aria-labelledby={titleId} onCancel={(e) => { e.preventDefault(); close(); }}>
      {keyToExport !== null ? (
        <form onSubmit={submit}>
          <div className="dialog-body">
            <h2 id={titleId}>{`Export the key “${keyToExport.label}”`}</h2>
            <p className="muted">The file is encrypted with the password below. Anyone with the file and the password has the private key: keep them apart.</p>
            <fieldset>
              <legend>Format</legend>
              <div className="stack" style={{ gap: 4 }}>
                <label className="row">
                  <input type="radio" name="export-format" checked={format === 'pkcs12'} onChange={() => setFormat('pkcs12')} />
                  PKCS#12 (.p12) with its certificate and chain
                </label>
                <label className="row">
                  <input type="radio" name="export-format" checked={format === 'pkcs8-encrypted'} onChange={() => setFormat('pkcs8-encrypted')} />
                  Encrypted PKCS#8 (.pem), the key alone
                </label>
              </div>
            </fieldset>
            <div className="field">
              <label htmlFor={ids.pw}>Password</label>
              <input id={ids.pw} className="input" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={ids.again}>Password again</label>
              <input id={ids.again} className="input" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} aria-invalid={mismatch ? true : undefined} aria-describedby={`${ids.again}-hint`} />
              <span id={`${ids.again}-hint`} className={mismatch ? 'error-text' : 'hint'}>
                {mismatch ? 'The passwords differ.' : 'Type it twice; it is not stored.'}
              </span>
            </div>
            {format === 'pkcs12' ? (
              <label className="row small" htmlFor={ids.legacy}>
                <input id={ids.legacy} type="checkbox" checked={legacy} onChange={(e) => setLegacy(e.target.checked)} />
                Legacy encryption (3DES) for old Windows and Java
              </label>
            ) : null}
            {exporter.isSuccess && exporter.data.saved ? (
              <Notice tone="success" title="Exported">{`Saved to ${exporter.data.path}`}</Notice>
            ) : null}
            {exporter.isError ? (
              <Notice tone="danger" title="The key was not exported">
                {errorMessage(exporter.error)}
              </Notice>
            ) : null}
          </div>
          <div className="dialog-footer">
            <button type="button" className="btn" onClick={close} autoFocus>
              {exporter.isSuccess && exporter.data.saved ? 'Close' : 'Cancel'}
            </button>
            <button type="submit" className="btn btn-primary" disabled={password === '' || password !== again || exporter.isPending}>
              {exporter.isPending ? 'Exporting…' : 'Export…'}
            </button>
          </div>
        </form>
      ) : null}
    </dialog>
  );
}
