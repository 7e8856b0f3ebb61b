/**
 * Generate key & CSR: a four-step wizard (key, subject, names, review). The key is generated and
 * sealed in main; the renderer only ever sees the CSR, the key id and fingerprints. Works offline.
 */
import { useId, useMemo, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { CsrCreated, CsrRequest, RekeyTemplate } from '../../../shared/api.js';
import type { KeyType } from '../../../shared/pki-types.js';
import { Badge } from '../../components/Badge.js';
import { CopyButton } from '../../components/CopyButton.js';
import { Findings } from '../../components/Findings.js';
import { Fingerprint } from '../../components/Fingerprint.js';
import { errorMessage, Notice } from '../../components/Notice.js';
import { PageHeader } from '../../components/PageHeader.js';
import { KEY_TYPE_CHOICES, keyAlgorithm } from '../keys/key-format.js';
import { useKeys } from '../keys/use-keys.js';
import { certificateHash, rekeyFromHash, useLocationHash } from '../certificates/selection.js';
import { hashOf } from '../shell/routes.js';
import { useCheckSans, useCreateCsr, useCsrPreview, useRekeyTemplate, useSaveText, type RekeyStart } from './use-csr.js';
import {
  addSanEntries,
  csrFileName,
  EMPTY_SUBJECT,
  splitSanList,
  STEP_TITLES,
  STEPS,
  stepProblem,
  SUBJECT_LABELS,
  subjectErrors,
  toSubjectFields,
  type KeyChoice,
  type SanEntry,
  type Step,
  type SubjectForm,
} from './wizard.js';

function StepList({ current }: { current: Step }): React.JSX.Element {
  const at = STEPS.indexOf(current);
  return (
    <ol className="steps" aria-label="Steps">
      {STEPS.map((s, i) => (
        <li key={s} aria-current={s === current ? 'step' : undefined} className={i < at ? 'done' : undefined}>
          <span className="step-number" aria-hidden="true">
            {i < at ? '✓' : i + 1}
          </span>
          <span>
            <span className="visually-hidden">{`Step ${i + 1} of ${STEPS.length}: `}</span>
            {STEP_TITLES[s]}
            {i < at ? <span className="visually-hidden"> (done)</span> : null}
          </span>
        </li>
      ))}
    </ol>
  );
}

function KeyStep({ value, onChange, family }: { value: KeyChoice; onChange: (k: KeyChoice) => void; family: 'rsa' | 'ec' | null }): React.JSX.Element {
  const keys = useKeys();
  const choices = family === null ? KEY_TYPE_CHOICES : KEY_TYPE_CHOICES.filter((c) => c.type.startsWith(family));
  const firstType = (choices[0]?.type ?? 'ec-p256') as KeyType;
  const selectId = useId();
  return (
    <div className="stack" style={{ gap: 14 }}>
      <fieldset>
        <legend>Key source</legend>
        <div className="row">
          <label className="row">
            <input type="radio" name="key-source" checked={value.kind === 'new'} onChange={() => onChange({ kind: 'new', type: firstType })} />
            Generate a new key
          </label>
          <label className="row">
            <input type="radio" name="key-source" checked={value.kind === 'existing'} onChange={() => onChange({ kind: 'existing', keyId: keys.data?.[0]?.id ?? null })} />
            Use a key already in the vault
          </label>
        </div>
      </fieldset>
      {value.kind === 'new' ? (
        <fieldset>
          <legend>Key type</legend>
          <div className="radio-cards">
            {choices.map((c) => (
              <label className="radio-card" key={c.type}>
                <input type="radio" name="key-type" value={c.type} checked={value.type === c.type} onChange={() => onChange({ kind: 'new', type: c.type as KeyType })} />
                <span>
                  <span className="title">{c.title}</span>
                  <br />
                  <span className="muted small">{c.hint}</span>
                </span>
              </label>
            ))}
          </div>
          {family !== null ? (
            <p className="hint">{`The provider keeps a certificate’s key algorithm: its next version needs ${family === 'rsa' ? 'an RSA' : 'an EC'} key too.`}</p>
          ) : null}
          <p className="muted small" style={{ marginTop: 8 }}>
            The key is generated on this computer and sealed in the vault; it is never shown or sent anywhere.
          </p>
        </fieldset>
      ) : keys.data && keys.data.length > 0 ? (
        <div className="field" style={{ maxWidth: 520 }}>
          <label htmlFor={selectId}>Vault key</label>
          <select id={selectId} className="select" value={value.keyId ?? ''} onChange={(e) => onChange({ kind: 'existing', keyId: e.target.value || null })}>
            {keys.data.map((k) => (
              <option key={k.id} value={k.id}>
                {`${k.label} — ${keyAlgorithm(k)} — ${k.spkiSha256.slice(0, 16)}…`}
              </option>
            ))}
          </select>
          <span className="hint">A new CSR for the same key keeps the key; use a new key to re-key.</span>
        </div>
      ) : (
        <Notice title="The vault has no keys yet">Choose “Generate a new key”, or import a key file on the Import / inspect screen.</Notice>
      )}
    </div>
  );
}

function SubjectStep({ value, onChange, showErrors }: { value: SubjectForm; onChange: (s: SubjectForm) => void; showErrors: boolean }): React.JSX.Element {
  const errors = showErrors ? subjectErrors(value) : {};
  const base = useId();
  const field = (name: keyof SubjectForm, hint?: string, extra?: { placeholder?: string; autoCapitalize?: string }) => {
    const id = `${base}-${name}`;
    const err = errors[name];
    return (
      <div className="field">
        <label htmlFor={id}>
          {SUBJECT_LABELS[name]}
          {name === 'commonName' ? <span aria-hidden="true"> *</span> : null}
        </label>
        <input
          id={id}
          className="input"
          value={value[name]}
          required={name === 'commonName'}
          aria-invalid={err ? true : undefined}
          aria-describedby={[hint ? `${id}-hint` : '', err ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined}
          onChange={(e) => onChange({ ...value, [name]: e.target.value })}
          spellCheck={false}
          {...extra}
        />
        {hint ? (
          <span id={`${id}-hint`} className="hint">
            {hint}
          </span>
        ) : null}
        {err ? (
          <span id={`${id}-err`} className="error-text">
            {err}
          </span>
        ) : null}
      </div>
    );
  };
  return (
    <div className="grid-2">
      {field('commonName', 'The main host name. It is also added as the first SAN when it is a host name.', { placeholder: 'www.example.com' })}
      {field('organization', 'Only for OV/EV certificates; DV CAs ignore it.')}
      {field('organizationalUnit')}
      {field('locality')}
      {field('state')}
      {field('country', 'Two letters, e.g. US, DE, GB.', { placeholder: 'US' })}
      {field('email')}
    </div>
  );
}

function NamesStep({ sans, onChange, commonName }: { sans: readonly SanEntry[]; onChange: (s: SanEntry[]) => void; commonName: string }): React.JSX.Element {
  const [draft, setDraft] = useState('');
  const check = useCheckSans();
  const inputId = useId();
  const add = (e?: FormEvent): void => {
    e?.preventDefault();
    const entries = splitSanList(draft);
    if (entries.length === 0) return;
    check.mutate(entries, {
      onSuccess: (checks) => {
        onChange(addSanEntries(sans, checks.map((c) => ({ input: c.input, check: c }))));
        setDraft('');
      },
    });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      add();
    }
  };
  const invalid = sans.filter((s) => s.check && !s.check.ok);
  return (
    <div className="stack" style={{ gap: 12 }}>
      <form className="stack" onSubmit={add} aria-label="Add names">
        <div className="field">
          <label htmlFor={inputId}>Add subject alternative names</label>
          <textarea
            id={inputId}
            className="textarea"
            rows={3}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={onKeyDown}
            placeholder={'www.example.com, api.example.com\n*.static.example.com\nIP:192.0.2.10'}
            aria-describedby={`${inputId}-hint`}
            spellCheck={false}
          />
          <span id={`${inputId}-hint`} className="hint">
            Type or paste a list — one per line, or separated by commas. Host names, wildcards (*.example.com), IP addresses, or EMAIL:name@example.com.
            Enter adds; Shift+Enter starts a new line.
          </span>
        </div>
        <div className="row">
          <button type="submit" className="btn" disabled={draft.trim() === '' || check.isPending}>
            {check.isPending ? 'Checking…' : 'Add names'}
          </button>
          {sans.length > 0 ? (
            <button type="button" className="btn btn-ghost" onClick={() => onChange([])}>
              Remove all
            </button>
          ) : null}
        </div>
      </form>
      {check.isError ? <Notice tone="danger">{errorMessage(check.error)}</Notice> : null}
      <section aria-label="Names in the request" className="stack">
        <div className="label">
          {sans.length === 0 ? 'No names added' : `${sans.length} ${sans.length === 1 ? 'name' : 'names'}`}
          {commonName.trim() ? <span className="muted"> — the common name {commonName.trim()} is added first if it is a host name</span> : null}
        </div>
        {sans.length > 0 ? (
          <ul className="chips" aria-label="Names" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {sans.map((s) => (
              <li key={s.input} className={s.check && !s.check.ok ? 'chip invalid' : 'chip'}>
                {s.check?.ok ? `${s.check.san.type === 'dns' ? '' : `${s.check.san.type.toUpperCase()}:`}${s.check.san.value}` : s.input}
                <button type="button" aria-label={`Remove ${s.input}`} onClick={() => onChange(sans.filter((x) => x !== s))}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        {invalid.length > 0 ? (
          <Notice tone="danger" title={`${invalid.length} ${invalid.length === 1 ? 'name is' : 'names are'} not valid`}>
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {invalid.map((s) => (
                <li key={s.input}>{s.check && !s.check.ok ? s.check.message : s.input}</li>
              ))}
            </ul>
          </Notice>
        ) : null}
      </section>
    </div>
  );
}

function ReviewStep({
  keyChoice,
  subject,
  sans,
  rekey,
  onCreated,
  onBack,
}: {
  keyChoice: KeyChoice;
  subject: SubjectForm;
  sans: readonly SanEntry[];
  rekey: RekeyTemplate | null;
  onCreated: (c: CsrCreated) => void;
  onBack: () => void;
}): React.JSX.Element {
  const fields = toSubjectFields(subject);
  const values = sans.map((s) => s.input);
  const preview = useCsrPreview(fields, values, true);
  const create = useCreateCsr();
  const keys = useKeys();
  const existing = keyChoice.kind === 'existing' ? keys.data?.find((k) => k.id === keyChoice.keyId) : undefined;
  const target = rekey !== null ? { target: { account: rekey.account, certificate: rekey.certificate } } : {};
  const request: CsrRequest | null =
    keyChoice.kind === 'new'
      ? { newKeyType: keyChoice.type, subject: fields, sans: values, ...(rekey !== null ? { label: `Re-key of ${rekey.certificateName}` } : {}), ...target }
      : keyChoice.keyId
        ? { keyId: keyChoice.keyId, subject: fields, sans: values, ...target }
        : null;
  const errors = preview.data?.findings.filter((f) => f.severity === 'error') ?? [];
  return (
    <div className="stack" style={{ gap: 14 }}>
      <dl className="dl">
        <dt>Key</dt>
        <dd>
          {keyChoice.kind === 'new'
            ? `New ${KEY_TYPE_CHOICES.find((c) => c.type === keyChoice.type)?.title ?? keyChoice.type} key, sealed in the vault`
            : existing
              ? `${existing.label} (${keyAlgorithm(existing)})`
              : 'A vault key'}
        </dd>
        <dt>Subject</dt>
        <dd className="mono">{preview.data?.subject ?? '…'}</dd>
        <dt>Names</dt>
        <dd>
          {preview.data ? (
            preview.data.sans.length > 0 ? (
              <span className="chips">
                {preview.data.sans.map((s) => (
                  <span className="chip" key={`${s.type}:${s.value}`} style={{ paddingRight: 6 }}>
                    {s.type === 'dns' ? s.value : `${s.type.toUpperCase()}:${s.value}`}
                  </span>
                ))}
              </span>
            ) : (
              <span className="muted">None</span>
            )
          ) : (
            '…'
          )}
        </dd>
      </dl>
      <section aria-labelledby="lint-heading" className="stack">
        <h2 id="lint-heading">Checks</h2>
        {preview.isPending ? <p className="muted">Checking the request…</p> : null}
        {preview.isError ? (
          <Notice tone="danger" title="The request cannot be made as it is">
            {errorMessage(preview.error)} Go back and correct it.
          </Notice>
        ) : null}
        {preview.data ? <Findings findings={preview.data.findings} emptyText="No problems found: a CA should accept this request." /> : null}
      </section>
      {create.isError ? (
        <Notice tone="danger" title="The CSR was not created">
          {errorMessage(create.error)}
        </Notice>
      ) : null}
      <div className="wizard-footer">
        <button type="button" className="btn" onClick={onBack} disabled={create.isPending}>
          Back
        </button>
        <div className="row">
          {keyChoice.kind === 'new' && keyChoice.type === 'rsa-4096' && create.isPending ? <span className="muted">RSA 4096 keys take a few seconds.</span> : null}
          <button
            type="button"
            className="btn btn-primary"
            disabled={!request || !preview.isSuccess || errors.length > 0 || create.isPending}
            onClick={() => request && create.mutate(request, { onSuccess: onCreated })}
          >
            {create.isPending ? 'Creating…' : keyChoice.kind === 'new' ? 'Create key and CSR' : 'Create CSR'}
          </button>
        </div>
      </div>
    </div>
  );
}

function Result({ created, rekey, onAnother }: { created: CsrCreated; rekey: RekeyTemplate | null; onAnother: () => void }): React.JSX.Element {
  const save = useSaveText();
  const cn = /CN=([^,]+)/.exec(created.subject)?.[1] ?? 'request';
  const pemId = useId();
  return (
    <div className="stack" style={{ gap: 14 }}>
      <Notice tone="success" title="Key and CSR created">
        The private key is sealed in the vault as <span className="mono">{created.keyId}</span>. The request is recorded as pending until its signed certificate
        is uploaded. Send the CSR below to your certificate authority.
      </Notice>
      {rekey !== null ? (
        <Notice title={`Then add the signed certificate to ${rekey.certificateName}`}>
          When the CA sends the certificate back, open{' '}
          <a href={certificateHash({ account: rekey.account, certificate: rekey.certificate })}>{rekey.certificateName}</a> and choose New version: drop the
          certificate and its chain, no key needed. Certdesk pairs it with this new key by its public key. The current version stays deployed until you deploy
          the new one.
        </Notice>
      ) : null}
      <dl className="dl">
        <dt>Subject</dt>
        <dd className="mono">{created.subject}</dd>
        <dt>Names</dt>
        <dd className="mono">{created.sans.map((s) => s.value).join(', ') || '—'}</dd>
        <dt>Key SPKI SHA-256</dt>
        <dd>
          <Fingerprint hex={created.spkiSha256} label="SPKI SHA-256" full />
        </dd>
      </dl>
      <div className="field">
        <label htmlFor={pemId}>Certificate signing request (PEM)</label>
        <textarea id={pemId} className="textarea pem" readOnly value={created.csrPem} rows={14} spellCheck={false} />
      </div>
      <div className="row">
        <CopyButton text={created.csrPem} label="CSR" />
        <button type="button" className="btn btn-primary" disabled={save.isPending} onClick={() => save.mutate({ defaultName: csrFileName(cn), content: created.csrPem })}>
          Save CSR to file…
        </button>
        <button type="button" className="btn btn-ghost" onClick={onAnother}>
          Create another
        </button>
        <a className="btn btn-ghost" href={hashOf('keys')}>
          View keys
        </a>
      </div>
      {save.data?.saved ? (
        <Notice tone="success" title="CSR saved">
          <span className="mono">{save.data.path}</span>
        </Notice>
      ) : null}
      {save.isError ? <Notice tone="danger">{errorMessage(save.error)}</Notice> : null}
      <section className="stack" aria-labelledby="result-checks">
        <h2 id="result-checks">Checks of the signed request</h2>
        <Findings findings={created.findings} emptyText="No problems found." />
      </section>
    </div>
  );
}

/** The wizard's state, started empty or from the certificate being re-keyed. */
function Wizard({ rekey }: { rekey: RekeyStart | null }): React.JSX.Element {
  const template = rekey?.template ?? null;
  const initialSubject: SubjectForm = { ...EMPTY_SUBJECT, ...template?.subject };
  const [step, setStep] = useState<Step>('key');
  const [key, setKey] = useState<KeyChoice>({ kind: 'new', type: template?.keyType ?? 'ec-p256' });
  const [subject, setSubject] = useState<SubjectForm>(initialSubject);
  const [sans, setSans] = useState<SanEntry[]>(rekey?.sans ?? []);
  const [tried, setTried] = useState(false);
  const [created, setCreated] = useState<CsrCreated | null>(null);
  const at = STEPS.indexOf(step);
  const problem = stepProblem(step, { key, subject, sans });
  const next = (): void => {
    if (problem) {
      setTried(true);
      return;
    }
    setTried(false);
    const following = STEPS[at + 1];
    if (following) setStep(following);
  };
  const reset = (): void => {
    setStep('key');
    setSubject(initialSubject);
    setSans(rekey?.sans ?? []);
    setCreated(null);
    setTried(false);
  };
  if (created) {
    return (
      <section className="panel" aria-label="Result">
        <div className="panel-body">
          <Result created={created} rekey={template} onAnother={reset} />
        </div>
      </section>
    );
  }
  return (
    <>
      {template !== null ? (
        <Notice title={`Re-key ${template.certificateName}`}>
          {`A new key and a CSR for the names of version ${template.version}${template.currentKey !== null ? ` (its key: ${template.currentKey})` : ''}. The current key stays in the vault and the current version stays deployed until the signed certificate is uploaded and deployed.`}
          {template.omitted.length > 0 ? ` Not carried over (a CSR made here cannot hold them): ${template.omitted.join(', ')}.` : ''}
        </Notice>
      ) : null}
      <StepList current={step} />
      <section className="panel" aria-labelledby="step-heading">
        <div className="panel-header">
          <h2 id="step-heading">{`${at + 1}. ${STEP_TITLES[step]}`}</h2>
        </div>
        <div className="panel-body">
          {step === 'key' ? <KeyStep value={key} onChange={setKey} family={template?.keyFamily ?? null} /> : null}
          {step === 'subject' ? <SubjectStep value={subject} onChange={setSubject} showErrors={tried} /> : null}
          {step === 'names' ? <NamesStep sans={sans} onChange={setSans} commonName={subject.commonName} /> : null}
          {step === 'review' ? <ReviewStep keyChoice={key} subject={subject} sans={sans} rekey={template} onCreated={setCreated} onBack={() => setStep('names')} /> : null}
          {tried && problem ? <Notice tone="danger">{problem}</Notice> : null}
          {step !== 'review' ? (
            <div className="wizard-footer">
              <button type="button" className="btn" disabled={at === 0} onClick={() => setStep(STEPS[at - 1] ?? 'key')}>
                Back
              </button>
              <button type="button" className="btn btn-primary" onClick={next}>
                Next: {STEP_TITLES[STEPS[at + 1] ?? 'review']}
              </button>
            </div>
          ) : null}
        </div>
      </section>
      <p className="muted small">
        <Badge>Offline</Badge> Keys are generated with your system’s OpenSSL and sealed with a key from the OS keychain.
      </p>
    </>
  );
}

/** Re-key: the wizard once the certificate's names are read. */
function RekeyWizard({ target }: { target: { account: string; certificate: string } }): React.JSX.Element {
  const start = useRekeyTemplate(target);
  if (start.isPending) {
    return (
      <p className="muted" role="status">
        Reading the names of the certificate…
      </p>
    );
  }
  if (start.isError) {
    return (
      <Notice tone="danger" title="The certificate’s names could not be read">
        {errorMessage(start.error)} <a href={certificateHash(target)}>Back to the certificate</a> or{' '}
        <a href={hashOf('csr')}>start an empty request</a>.
      </Notice>
    );
  }
  return <Wizard rekey={start.data} />;
}

/** The Generate key & CSR screen (`#/csr`), or a re-key (`#/csr/rekey/<account>/<certificate>`). */
export function CsrWizard(): React.JSX.Element {
  const hash = useLocationHash();
  const rekey = useMemo(() => rekeyFromHash(hash), [hash]);
  return (
    <div className="page">
      <PageHeader
        title={rekey !== null ? 'Re-key: new key & CSR' : 'Generate key & CSR'}
        description="Create a private key and a certificate signing request for your CA. Everything happens on this computer; no network is needed."
      />
      {rekey !== null ? <RekeyWizard key={`${rekey.account}/${rekey.certificate}`} target={rekey} /> : <Wizard key="new" rekey={null} />}
    </div>
  );
}
