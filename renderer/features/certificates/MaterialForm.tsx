/**
 * What a new version (or a new certificate's first version) is made of: certificate files dropped,
 * chosen or pasted — shown as main read them (leaf, chain, key and where it is, problems) before
 * anything is saved — or a new key with a self-signed placeholder whose CSR goes to the CA.
 */
import { useId, useState, type FormEvent } from 'react';
import type { InspectResult, VersionMaterialInput } from '../../../shared/api.js';
import type { KeyType } from '../../../shared/pki-types.js';
import { Badge } from '../../components/Badge.js';
import { FileDropZone } from '../../components/FileDropZone.js';
import { Findings } from '../../components/Findings.js';
import { errorMessage, Notice } from '../../components/Notice.js';
import { formatDate } from '../keys/key-format.js';
import { KEY_TYPE_CHOICES } from '../keys/key-format.js';
import { keyLocationText } from '../import/describe.js';
import { readFiles, textFile, type ImportFile, type RejectedFile } from '../import/read-files.js';
import { useInspect } from '../import/use-inspect.js';

/** What the form hands its owner. */
export interface MaterialSubmit {
  readonly material: VersionMaterialInput;
  readonly comment?: string;
}

function FoundSummary({ result, mode }: { result: InspectResult; mode: 'create' | 'add' }): React.JSX.Element | null {
  const match = result.matches[0];
  const bundle = result.bundle;
  if (bundle === null) {
    return result.bundleError ? (
      <Notice tone="danger" title="No certificate to upload">
        {result.bundleError.message}
      </Notice>
    ) : null;
  }
  const key = match ? keyLocationText(match.keys) : null;
  const leaf = result.files.flatMap((f) => (f.ok ? f.objects : [])).find((o) => o.kind === 'certificate' && o.fingerprints.sha256 === bundle.leaf.sha256);
  return (
    <section className="panel" aria-label="What Certdesk found">
      <div className="panel-body">
        <dl className="dl">
          <dt>Certificate</dt>
          <dd className="mono">{bundle.leaf.subject}</dd>
          {leaf && leaf.kind === 'certificate' ? (
            <>
              <dt>Issuer</dt>
              <dd className="mono">{leaf.issuer}</dd>
              <dt>Valid</dt>
              <dd>{`${formatDate(leaf.notBefore)} – ${formatDate(leaf.notAfter)}`}</dd>
              <dt>Names</dt>
              <dd className="mono">{leaf.sans.map((s) => s.value).join(', ') || '—'}</dd>
            </>
          ) : null}
          <dt>Chain</dt>
          <dd>
            {bundle.chain.length === 0 ? 'No intermediates' : `${bundle.chain.length} intermediate${bundle.chain.length === 1 ? '' : 's'}`}
            {bundle.removed.length > 0 ? `, ${bundle.removed.length} left out (${bundle.removed.map((r) => r.reason).join('; ')})` : ''}{' '}
            {bundle.validation.valid ? <Badge tone="success">Chain trusted</Badge> : <Badge tone="warning">Chain not trusted here</Badge>}
          </dd>
          <dt>Private key</dt>
          <dd>
            {key && match && match.keys.length > 0 ? (
              <Badge tone="success">{key.text}</Badge>
            ) : mode === 'add' ? (
              <span>
                <Badge tone="info">Key carried over</Badge> No key came with it: the latest version’s key is kept. Use this for a certificate your CA signed from
                this certificate’s CSR.
              </span>
            ) : (
              <Badge tone="danger">No matching private key — drop the key file too</Badge>
            )}
          </dd>
        </dl>
        <Findings findings={[...bundle.findings.filter((f) => f.severity !== 'info'), ...bundle.validation.errors]} />
      </div>
    </section>
  );
}

function FilesInput({ files, onChange }: { files: readonly ImportFile[]; onChange: (files: ImportFile[]) => void }): React.JSX.Element {
  const [rejected, setRejected] = useState<RejectedFile[]>([]);
  const [paste, setPaste] = useState('');
  const pasteId = useId();
  const add = (picked: File[]): void => {
    void readFiles(picked, files.length).then(({ files: read, rejected: refused }) => {
      setRejected(refused);
      if (read.length > 0) onChange([...files, ...read]);
    });
  };
  return (
    <div className="stack">
      <FileDropZone
        title="Drop the certificate, its chain and its private key"
        hint="Any number of files at once: PEM, DER, PKCS#7, PKCS#12, keys. Nothing is uploaded until you confirm."
        inputLabel="Choose certificate files"
        testId="version-dropzone"
        onFiles={add}
        onText={(text) => onChange([...files, textFile(text, `Pasted text ${files.length + 1}`)])}
      />
      <div className="field">
        <label htmlFor={pasteId}>Or paste PEM text</label>
        <textarea id={pasteId} className="textarea" rows={3} value={paste} onChange={(e) => setPaste(e.target.value)} placeholder="-----BEGIN CERTIFICATE-----" spellCheck={false} />
      </div>
      <div>
        <button
          type="button"
          className="btn btn-small"
          disabled={paste.trim() === ''}
          onClick={() => {
            onChange([...files, textFile(paste, `Pasted text ${files.length + 1}`)]);
            setPaste('');
          }}
        >
          Add pasted text
        </button>
      </div>
      {rejected.map((r) => (
        <Notice key={r.name} tone="danger" title="File not added">
          {r.reason}
        </Notice>
      ))}
    </div>
  );
}

function FileList({ files, result, onChange }: { files: readonly ImportFile[]; result: InspectResult | undefined; onChange: (files: ImportFile[]) => void }): React.JSX.Element | null {
  if (files.length === 0) return null;
  return (
    <ul className="file-list" aria-label="Files to upload">
      {files.map((f, i) => {
        const r = result?.files[i];
        const needsPassword = r && !r.ok && (r.error.code === 'PASSWORD_REQUIRED' || r.error.code === 'WRONG_PASSWORD');
        return (
          <li key={f.id}>
            <div className="row">
              <span className="mono">{f.name}</span>
              {r === undefined ? (
                <Badge>Reading…</Badge>
              ) : r.ok ? (
                <Badge tone="success">{r.objects.map((o) => (o.kind === 'certificate' ? (o.role === 'leaf' ? 'certificate' : o.role) : o.kind === 'private-key' ? 'private key' : 'CSR')).join(', ') || 'nothing found'}</Badge>
              ) : (
                <Badge tone={needsPassword ? 'warning' : 'danger'}>{needsPassword ? 'Password needed' : 'Not read'}</Badge>
              )}
              <button type="button" className="btn btn-small btn-ghost" aria-label={`Remove ${f.name}`} onClick={() => onChange(files.filter((x) => x.id !== f.id))}>
                Remove
              </button>
            </div>
            {r && !r.ok ? (
              needsPassword ? (
                <PasswordField name={f.name} wrong={r.error.code === 'WRONG_PASSWORD'} onSubmit={(password) => onChange(files.map((x) => (x.id === f.id ? { ...x, password } : x)))} />
              ) : (
                <p className="error-text small">{r.error.message}</p>
              )
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

function PasswordField({ name, wrong, onSubmit }: { name: string; wrong: boolean; onSubmit: (password: string) => void }): React.JSX.Element {
  const [value, setValue] = useState('');
  const id = useId();
  return (
    <div className="row" style={{ alignItems: 'flex-end', marginTop: 4 }}>
      <div className="field">
        <label htmlFor={id}>{`Password for ${name}`}</label>
        <input id={id} className="input" type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} aria-invalid={wrong ? true : undefined} />
      </div>
      <button type="button" className="btn btn-small" onClick={() => onSubmit(value)} disabled={value === ''}>
        {wrong ? 'Try again' : 'Unlock'}
      </button>
      {wrong ? <span className="error-text small">Wrong password.</span> : null}
    </div>
  );
}

function SelfSignedFields({
  commonName,
  sans,
  keyType,
  onChange,
}: {
  commonName: string;
  sans: string;
  keyType: KeyType;
  onChange: (patch: { commonName?: string; sans?: string; keyType?: KeyType }) => void;
}): React.JSX.Element {
  const cnId = useId();
  const sansId = useId();
  const typeId = useId();
  return (
    <div className="stack">
      <p className="muted">
        Certdesk makes a new key in the vault and a self-signed placeholder certificate for it. Then take the CSR of this version to your CA and upload the
        signed certificate as the next version: the key is carried over.
      </p>
      <div className="grid-2">
        <div className="field">
          <label htmlFor={cnId}>Common name</label>
          <input id={cnId} className="input" value={commonName} onChange={(e) => onChange({ commonName: e.target.value })} placeholder="www.example.com" maxLength={64} />
        </div>
        <div className="field">
          <label htmlFor={typeId}>Key type</label>
          <select id={typeId} className="select" value={keyType} onChange={(e) => onChange({ keyType: e.target.value as KeyType })}>
            {KEY_TYPE_CHOICES.map((c) => (
              <option key={c.type} value={c.type}>
                {c.title}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor={sansId}>Other names (optional)</label>
        <textarea id={sansId} className="textarea" rows={2} value={sans} onChange={(e) => onChange({ sans: e.target.value })} placeholder="example.com, api.example.com" spellCheck={false} />
        <span className="hint">Separated by commas, spaces or new lines. The common name is included.</span>
      </div>
    </div>
  );
}

/** The material form; `mode` is `create` (a new certificate: a key is needed) or `add` (a new version). */
export function MaterialForm({
  mode,
  busy,
  error,
  submitLabel,
  onSubmit,
  onCancel,
  extra,
}: {
  mode: 'create' | 'add';
  busy: boolean;
  error: Error | null;
  submitLabel: string;
  onSubmit: (input: MaterialSubmit) => void;
  onCancel: () => void;
  extra?: React.ReactNode;
}): React.JSX.Element {
  const [kind, setKind] = useState<'files' | 'self-signed'>('files');
  const [files, setFiles] = useState<ImportFile[]>([]);
  const [commonName, setCommonName] = useState('');
  const [sans, setSans] = useState('');
  const [keyType, setKeyType] = useState<KeyType>('ec-p256');
  const [comment, setComment] = useState('');
  const inspect = useInspect();
  const commentId = useId();
  const result = inspect.data && inspect.variables === files ? inspect.data : undefined;

  const changeFiles = (next: ImportFile[]): void => {
    setFiles(next);
    if (next.length > 0) inspect.mutate(next);
    else inspect.reset();
  };
  const hasLeaf = result?.bundle !== null && result?.bundle !== undefined;
  const keyMissing = mode === 'create' && hasLeaf && (result?.matches[0]?.keys.length ?? 0) === 0;
  const blocked = kind === 'files' ? !hasLeaf || keyMissing || result?.files.some((f) => !f.ok) === true : commonName.trim() === '';
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (blocked) return;
    const material: VersionMaterialInput =
      kind === 'files'
        ? { kind: 'files', files: files.map((f) => ({ name: f.name, bytes: f.bytes, ...(f.password !== undefined ? { password: f.password } : {}) })) }
        : { kind: 'self-signed', commonName: commonName.trim(), sans: sans.split(/[\s,;]+/).filter((s) => s !== ''), keyType };
    onSubmit({ material, ...(comment.trim() !== '' ? { comment: comment.trim() } : {}) });
  };

  return (
    <form className="stack" style={{ gap: 14 }} onSubmit={submit} aria-label={mode === 'create' ? 'New certificate' : 'New version'}>
      {extra}
      <fieldset>
        <legend>What the version is made of</legend>
        <div className="radio-cards material-kinds">
          <label className="radio-card">
            <input type="radio" name={`material-${mode}`} checked={kind === 'files'} onChange={() => setKind('files')} />
            <span>
              <span className="title">Certificate files</span>
              <br />
              <span className="muted small">{mode === 'add' ? 'A renewed certificate from your CA, with its chain (and key, unless it answers this certificate’s CSR)' : 'The certificate, its chain and its private key'}</span>
            </span>
          </label>
          <label className="radio-card">
            <input type="radio" name={`material-${mode}`} checked={kind === 'self-signed'} onChange={() => setKind('self-signed')} />
            <span>
              <span className="title">New key, self-signed</span>
              <br />
              <span className="muted small">A placeholder whose CSR you send to the CA</span>
            </span>
          </label>
        </div>
      </fieldset>
      {kind === 'files' ? (
        <>
          <FilesInput files={files} onChange={changeFiles} />
          <FileList files={files} result={result} onChange={changeFiles} />
          {inspect.isError ? <Notice tone="danger">{errorMessage(inspect.error)}</Notice> : null}
          {result ? <FoundSummary result={result} mode={mode} /> : null}
        </>
      ) : (
        <SelfSignedFields
          commonName={commonName}
          sans={sans}
          keyType={keyType}
          onChange={(p) => {
            if (p.commonName !== undefined) setCommonName(p.commonName);
            if (p.sans !== undefined) setSans(p.sans);
            if (p.keyType !== undefined) setKeyType(p.keyType);
          }}
        />
      )}
      <div className="field">
        <label htmlFor={commentId}>Comment (optional)</label>
        <input id={commentId} className="input" value={comment} maxLength={500} onChange={(e) => setComment(e.target.value)} placeholder="e.g. renewal 2026, ticket OPS-123" />
      </div>
      {error ? (
        <Notice tone="danger" title="Nothing was uploaded">
          {errorMessage(error)}
        </Notice>
      ) : null}
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={blocked || busy}>
          {busy ? 'Uploading…' : submitLabel}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
