/**
 * Import / inspect: drop any number of files (PEM, DER, PKCS#7, PKCS#12, keys) or paste text; see
 * what each holds in plain words, which key belongs to which certificate (also keys already in
 * the vault), the cleaned bundle and its chain check; put keys into the vault.
 */
import { useId, useState, type FormEvent } from 'react';
import type { BundleSummary, FileInspection, InspectResult, KeyMatch } from '../../../shared/api.js';
import type { ObjectInfo } from '../../../shared/pki-types.js';
import { Badge } from '../../components/Badge.js';
import { CopySaveActions } from '../../components/CopySaveActions.js';
import { EmptyState } from '../../components/EmptyState.js';
import { FileDropZone } from '../../components/FileDropZone.js';
import { Findings } from '../../components/Findings.js';
import { Fingerprint } from '../../components/Fingerprint.js';
import { errorMessage, Notice } from '../../components/Notice.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useFocusTarget } from '../../components/route-focus.js';
import { formatDate } from '../keys/key-format.js';
import { useImportKeys } from '../keys/use-keys.js';
import { useSettings } from '../settings/use-settings.js';
import { keyLocationText, objectTitle, publicKeyText, summarise, validityBadge } from './describe.js';
import { readFiles, textFile, type ImportFile, type RejectedFile } from './read-files.js';
import { useInspect } from './use-inspect.js';

function sanText(o: { sans: readonly { type: string; value: string }[] }): string {
  return o.sans.map((s) => (s.type === 'dns' ? s.value : `${s.type.toUpperCase()}:${s.value}`)).join(', ');
}

function ObjectDetails({ object, threshold, now }: { object: ObjectInfo; threshold: number; now: Date }): React.JSX.Element {
  switch (object.kind) {
    case 'certificate': {
      const validity = validityBadge(object.notBefore, object.notAfter, now, threshold);
      return (
        <>
          <div className="row">
            <Badge tone={object.role === 'leaf' ? 'info' : 'neutral'}>{objectTitle(object)}</Badge>
            <strong className="mono">{object.subject || '(empty subject)'}</strong>
            <Badge tone={validity.tone}>{validity.text}</Badge>
          </div>
          <dl className="dl">
            {object.sans.length > 0 ? (
              <>
                <dt>Names</dt>
                <dd className="mono">{sanText(object)}</dd>
              </>
            ) : null}
            <dt>Issuer</dt>
            <dd className="mono">{object.issuer}</dd>
            <dt>Valid</dt>
            <dd>{`${formatDate(object.notBefore)} – ${formatDate(object.notAfter)}`}</dd>
            <dt>Key</dt>
            <dd>{publicKeyText(object.publicKey)}</dd>
            <dt>SHA-256</dt>
            <dd>
              <Fingerprint hex={object.fingerprints.sha256} label={`SHA-256 fingerprint of ${object.subject}`} full />
            </dd>
            <dt>SPKI SHA-256</dt>
            <dd>
              <Fingerprint hex={object.spkiSha256} label={`SPKI SHA-256 of ${object.subject}`} />
            </dd>
          </dl>
          <Findings findings={object.warnings} />
        </>
      );
    }
    case 'private-key':
      return (
        <>
          <div className="row">
            <Badge tone="warning">Private key</Badge>
            <strong>{publicKeyText(object.publicKey)}</strong>
            {object.encrypted ? <Badge>Was encrypted</Badge> : null}
          </div>
          <dl className="dl">
            <dt>Format</dt>
            <dd>{object.format.toUpperCase().replace('PKCS8', 'PKCS#8').replace('PKCS1', 'PKCS#1').replace('PKCS12', 'PKCS#12')}</dd>
            <dt>SPKI SHA-256</dt>
            <dd>
              <Fingerprint hex={object.spkiSha256} label="SPKI SHA-256 of the private key" />
            </dd>
          </dl>
        </>
      );
    case 'csr':
      return (
        <>
          <div className="row">
            <Badge tone="info">Certificate signing request</Badge>
            <strong className="mono">{object.subject}</strong>
            {object.signatureValid ? <Badge tone="success">Signature valid</Badge> : <Badge tone="danger">Signature invalid</Badge>}
          </div>
          <dl className="dl">
            <dt>Names</dt>
            <dd className="mono">{sanText(object) || '—'}</dd>
            <dt>Key</dt>
            <dd>{publicKeyText(object.publicKey)}</dd>
          </dl>
          <Findings findings={object.warnings} />
        </>
      );
  }
}

function PasswordPrompt({ name, wrong, message, onSubmit }: { name: string; wrong: boolean; message: string; onSubmit: (pw: string) => void }): React.JSX.Element {
  const [password, setPassword] = useState('');
  const id = useId();
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    onSubmit(password);
  };
  return (
    <form className="stack" onSubmit={submit} aria-label={`Unlock ${name}`}>
      <Notice tone={wrong ? 'danger' : 'warning'} title={wrong ? 'Wrong password' : 'This file is protected by a password'}>
        {message}
        {wrong ? ' Check the password that came with the file (they are case-sensitive) and try again.' : ' Enter it to see what the file holds; it is used only to read the file and is not stored.'}
      </Notice>
      <div className="row" style={{ alignItems: 'flex-end' }}>
        <div className="field">
          <label htmlFor={id}>{`Password for ${name}`}</label>
          <input id={id} className="input" type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} autoFocus />
        </div>
        <button type="submit" className="btn btn-primary">
          {wrong ? 'Try again' : 'Unlock'}
        </button>
      </div>
    </form>
  );
}

function FileCard({
  file,
  result,
  threshold,
  now,
  onPassword,
  onRemove,
  onImportKey,
  importing,
}: {
  file: ImportFile;
  result: FileInspection | undefined;
  threshold: number;
  now: Date;
  onPassword: (pw: string) => void;
  onRemove: () => void;
  onImportKey: () => void;
  importing: boolean;
}): React.JSX.Element {
  const needsPassword = result && !result.ok && (result.error.code === 'PASSWORD_REQUIRED' || result.error.code === 'WRONG_PASSWORD');
  const hasKey = result?.ok === true && result.objects.some((o) => o.kind === 'private-key');
  return (
    <section className="panel" aria-label={file.name}>
      <div className="panel-header">
        <div className="file-card-header">
          <h3 className="mono">{file.name}</h3>
          {result === undefined ? <Badge>Reading…</Badge> : result.ok ? <Badge tone="success">{summarise([result])}</Badge> : <Badge tone={needsPassword ? 'warning' : 'danger'}>{needsPassword ? 'Password needed' : 'Not read'}</Badge>}
        </div>
        <div className="row">
          {hasKey ? (
            <button type="button" className="btn btn-small" onClick={onImportKey} disabled={importing}>
              Import key into vault
            </button>
          ) : null}
          <button type="button" className="btn btn-small btn-ghost" onClick={onRemove} aria-label={`Remove ${file.name}`}>
            Remove
          </button>
        </div>
      </div>
      {result && !result.ok ? (
        <div className="panel-body">
          {needsPassword ? (
            <PasswordPrompt name={file.name} wrong={result.error.code === 'WRONG_PASSWORD'} message={result.error.message} onSubmit={onPassword} />
          ) : (
            <Notice tone="danger" title="Certdesk could not read this file">
              {result.error.message}
            </Notice>
          )}
        </div>
      ) : null}
      {result?.ok ? (
        <div className="panel-body flush">
          {result.objects.length === 0 ? (
            <p className="muted" style={{ padding: 12 }}>
              Nothing found in this file.
            </p>
          ) : (
            result.objects.map((o, i) => (
              <div className="object" key={i}>
                <ObjectDetails object={o} threshold={threshold} now={now} />
              </div>
            ))
          )}
        </div>
      ) : null}
    </section>
  );
}

function Pairing({ matches, unmatchedKeys }: { matches: readonly KeyMatch[]; unmatchedKeys: readonly string[] }): React.JSX.Element | null {
  if (matches.length === 0 && unmatchedKeys.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="pairing-heading">
      <div className="panel-header">
        <h2 id="pairing-heading">Certificate and key</h2>
        <span className="muted small">Matched by public key (SPKI), in the dropped files and the vault</span>
      </div>
      <div className="panel-body flush">
        {matches.map((m) => {
          const where = keyLocationText(m.keys);
          return (
            <div className="pair" key={m.certificateSha256}>
              <Badge tone={where.tone}>{where.tone === 'success' ? 'Paired' : 'Unpaired'}</Badge>
              <span className="mono">{m.subject}</span>
              <span>{where.text}</span>
              {m.keys.length === 0 ? <span className="muted">Drop the key file too, or import it into the vault.</span> : null}
            </div>
          );
        })}
        {unmatchedKeys.map((spki) => (
          <div className="pair" key={spki}>
            <Badge tone="warning">Key without certificate</Badge>
            <Fingerprint hex={spki} label="SPKI SHA-256 of the key" />
            <span className="muted">No dropped certificate belongs to this key.</span>
          </div>
        ))}
      </div>
    </section>
  );
}

function Bundle({ bundle }: { bundle: BundleSummary }): React.JSX.Element {
  const pemId = useId();
  const v = bundle.validation;
  const name = (/CN=([^,]+)/.exec(bundle.leaf.subject)?.[1] ?? 'bundle').replace(/^\*\./, 'wildcard.').replace(/[^A-Za-z0-9._-]+/g, '_');
  return (
    <section className="panel" aria-labelledby="bundle-heading">
      <div className="panel-header">
        <h2 id="bundle-heading">Cleaned bundle</h2>
        {v.valid ? <Badge tone="success">Chain valid and trusted</Badge> : <Badge tone="danger">Chain not trusted</Badge>}
      </div>
      <div className="panel-body">
        <p className="muted">Leaf first, then each issuer, without the root: the order CDNs and servers expect.</p>
        <ol className="chain-list" aria-label="Bundle order">
          <li>
            <Badge tone="info">Leaf</Badge>
            <span className="mono">{bundle.leaf.subject}</span>
          </li>
          {bundle.chain.map((c) => (
            <li key={c.sha256}>
              <Badge>Intermediate</Badge>
              <span className="mono">{c.subject}</span>
            </li>
          ))}
        </ol>
        {bundle.removed.length > 0 ? (
          <div className="stack">
            <div className="label">Left out</div>
            <ul className="findings">
              {bundle.removed.map((r) => (
                <li key={r.sha256}>
                  <Badge>Removed</Badge>
                  <span>
                    <span className="mono">{r.subject}</span> — {r.reason}
                  </span>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <Findings findings={[...bundle.findings, ...v.errors, ...v.warnings]} />
        <div className="field">
          <label htmlFor={pemId}>Bundle (PEM)</label>
          <textarea id={pemId} className="textarea pem" readOnly value={bundle.pem} spellCheck={false} />
        </div>
        <CopySaveActions text={bundle.pem} what="bundle" fileName={`${name}.chain.pem`} />
      </div>
    </section>
  );
}

function DropZone({ onFiles, onText }: { onFiles: (files: File[]) => void; onText: (text: string) => void }): React.JSX.Element {
  // File › Import files… (Ctrl+O) focuses this button; the user's Enter or Space then opens the chooser.
  const choose = useFocusTarget<HTMLButtonElement>('import', 'choose-files');
  return (
    <FileDropZone
      title="Drop certificates, chains, keys or PKCS#12 files here"
      hint="PEM, DER, PKCS#7 (.p7b), PKCS#12 (.pfx, .p12), private keys and CSRs — any number at once. Nothing is saved until you choose to."
      inputLabel="Choose files to inspect"
      testId="dropzone"
      onFiles={onFiles}
      onText={onText}
      chooseRef={choose}
      primary
    />
  );
}

function PasteBox({ onText }: { onText: (text: string) => void }): React.JSX.Element {
  const [text, setText] = useState('');
  const id = useId();
  return (
    <form
      className="stack"
      aria-label="Paste PEM text"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) {
          onText(text);
          setText('');
        }
      }}
    >
      <div className="field">
        <label htmlFor={id}>Or paste PEM text</label>
        <textarea id={id} className="textarea" rows={4} value={text} onChange={(e) => setText(e.target.value)} placeholder="-----BEGIN CERTIFICATE-----" spellCheck={false} />
      </div>
      <div>
        <button type="submit" className="btn" disabled={!text.trim()}>
          Inspect pasted text
        </button>
      </div>
    </form>
  );
}

/** The Import / inspect screen. */
export function ImportView(): React.JSX.Element {
  const [files, setFiles] = useState<ImportFile[]>([]);
  const [rejected, setRejected] = useState<RejectedFile[]>([]);
  const [pastes, setPastes] = useState(0);
  const inspect = useInspect();
  const importKeys = useImportKeys();
  const settings = useSettings();
  const threshold = settings.data?.expiryThresholdDays ?? 30;
  const result: InspectResult | undefined = inspect.data;
  const now = new Date();

  const update = (next: ImportFile[]): void => {
    setFiles(next);
    if (next.length > 0) inspect.mutate(next);
    else inspect.reset();
  };
  const addFiles = (picked: File[]): void => {
    void readFiles(picked, files.length).then(({ files: read, rejected: refused }) => {
      setRejected(refused);
      if (read.length > 0) update([...files, ...read]);
    });
  };
  const addText = (text: string): void => {
    const n = pastes + 1;
    setPastes(n);
    update([...files, textFile(text, n === 1 ? 'Pasted text' : `Pasted text ${n}`)]);
  };
  const importKey = (file: ImportFile): void => {
    importKeys.mutate(
      { files: [{ name: file.name, bytes: file.bytes, ...(file.password !== undefined ? { password: file.password } : {}) }] },
      { onSuccess: () => inspect.mutate(files) },
    );
  };
  // Only the answer to the current set of files is shown (an older answer may still be arriving).
  const shownResults = result && inspect.variables === files ? result.files : undefined;

  return (
    <div className="page">
      <PageHeader
        title="Import / inspect"
        description="See what certificate and key files hold before anything is saved: roles, names, validity, problems in plain words, which key belongs to which certificate, and the bundle to upload."
        actions={
          files.length > 0 ? (
            <button type="button" className="btn" onClick={() => update([])}>
              Clear all
            </button>
          ) : undefined
        }
      />
      <DropZone onFiles={addFiles} onText={addText} />
      <PasteBox onText={addText} />
      {rejected.map((r) => (
        <Notice key={r.name} tone="danger" title="File not added">
          {r.reason}
        </Notice>
      ))}
      {inspect.isError ? (
        <Notice tone="danger" title="The files could not be inspected">
          {errorMessage(inspect.error)}
        </Notice>
      ) : null}
      {importKeys.isSuccess ? (
        <Notice tone="success" title="Key imported">
          {importKeys.data.map((k) => (k.existing ? `The key from ${k.file} was already in the vault as ${k.label}.` : `The key from ${k.file} is now in the vault as ${k.label}.`)).join(' ')}
        </Notice>
      ) : null}
      {importKeys.isError ? (
        <Notice tone="danger" title="The key was not imported">
          {errorMessage(importKeys.error)}
        </Notice>
      ) : null}
      {files.length === 0 ? (
        <section className="panel" aria-label="Results">
          <EmptyState title="Nothing to inspect yet">
            Drop the files your CA sent (certificate, chain, key or a PKCS#12 bundle), choose them with the button above, or paste PEM text.
          </EmptyState>
        </section>
      ) : (
        <>
          <div className="row" aria-live="polite">
            <h2>Results</h2>
            <span className="muted">{shownResults ? summarise(shownResults) : 'Inspecting…'}</span>
          </div>
          {result && shownResults ? <Pairing matches={result.matches} unmatchedKeys={result.unmatchedKeys} /> : null}
          {result?.bundle && shownResults ? <Bundle bundle={result.bundle} /> : null}
          {result?.bundleError && shownResults ? (
            <Notice tone="warning" title="No bundle could be built">
              {result.bundleError.message}
            </Notice>
          ) : null}
          {files.map((f, i) => (
            <FileCard
              key={f.id}
              file={f}
              result={shownResults?.[i]}
              threshold={threshold}
              now={now}
              importing={importKeys.isPending}
              onImportKey={() => importKey(f)}
              onRemove={() => update(files.filter((x) => x.id !== f.id))}
              onPassword={(password) => update(files.map((x) => (x.id === f.id ? { ...x, password } : x)))}
            />
          ))}
        </>
      )}
    </div>
  );
}
