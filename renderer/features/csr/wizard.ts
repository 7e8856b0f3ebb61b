/**
 * The CSR wizard's view logic, free of React: splitting a pasted SAN list, the subject form's
 * quick checks (main checks everything again, with the same rules the CLI uses), and which step
 * may be left.
 */
import type { SanCheck } from '../../../shared/api.js';
import type { KeyType, SubjectFields } from '../../../shared/pki-types.js';

/** The wizard's steps, in order. */
export const STEPS = ['key', 'subject', 'names', 'review'] as const;
/** One step of the wizard. */
export type Step = (typeof STEPS)[number];

/** Titles of the steps. */
export const STEP_TITLES: Readonly<Record<Step, string>> = { key: 'Key', subject: 'Subject', names: 'Names (SANs)', review: 'Review & create' };

/** Where the key comes from. */
export type KeyChoice = { readonly kind: 'new'; readonly type: KeyType } | { readonly kind: 'existing'; readonly keyId: string | null };

/** The subject form, as typed. */
export interface SubjectForm {
  commonName: string;
  organization: string;
  organizationalUnit: string;
  locality: string;
  state: string;
  country: string;
  email: string;
}

/** An empty subject form. */
export const EMPTY_SUBJECT: SubjectForm = { commonName: '', organization: '', organizationalUnit: '', locality: '', state: '', country: '', email: '' };

/** Labels of the subject fields. */
export const SUBJECT_LABELS: Readonly<Record<keyof SubjectForm, string>> = {
  commonName: 'Common name (CN)',
  organization: 'Organization (O)',
  organizationalUnit: 'Organizational unit (OU)',
  locality: 'Locality / city (L)',
  state: 'State or province (ST)',
  country: 'Country (C)',
  email: 'Email address',
};

const MAX: Readonly<Record<keyof SubjectForm, number>> = { commonName: 64, organization: 64, organizationalUnit: 64, locality: 128, state: 128, country: 2, email: 255 };

/**
 * Splits what was typed or pasted into SAN entries: one per line, or separated by commas,
 * semicolons or spaces; surrounding quotes are dropped, empty entries ignored, repeats (ignoring
 * case) kept once.
 */
export function splitSanList(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/[\s,;]+/)) {
    const entry = raw.replace(/^["'“”‘’]+|["'“”‘’]+$/g, '').trim();
    if (entry === '') continue;
    const key = entry.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(entry);
  }
  return out;
}

/** A SAN entry of the list: what was typed and main's verdict (null while being checked). */
export interface SanEntry {
  readonly input: string;
  readonly check: SanCheck | null;
}

/** The identity of an entry once checked: `dns:example.com`; before, its lowercased input. */
export function sanIdentity(entry: SanEntry): string {
  return entry.check?.ok ? `${entry.check.san.type}:${entry.check.san.value}` : entry.input.toLowerCase();
}

/** Adds checked entries to a list, dropping any that name what is already there. */
export function addSanEntries(list: readonly SanEntry[], added: readonly SanEntry[]): SanEntry[] {
  const out = [...list];
  const seen = new Set(out.map(sanIdentity));
  for (const entry of added) {
    const id = sanIdentity(entry);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(entry);
  }
  return out;
}

/** Quick checks of the subject form, by field ("" fields are left out of the CSR). */
export function subjectErrors(form: SubjectForm): Partial<Record<keyof SubjectForm, string>> {
  const errors: Partial<Record<keyof SubjectForm, string>> = {};
  for (const field of Object.keys(MAX) as (keyof SubjectForm)[]) {
    const value = form[field].trim();
    if ([...value].length > MAX[field]) errors[field] = `At most ${MAX[field]} characters (RFC 5280).`;
  }
  if (form.commonName.trim() === '') errors.commonName = 'Enter the common name, usually the main host name (e.g. www.example.com).';
  if (form.country.trim() !== '' && !/^[A-Za-z]{2}$/.test(form.country.trim())) errors.country = 'Use the two-letter ISO 3166 code, e.g. US, DE or GB.';
  if (form.email.trim() !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.email.trim())) errors.email = 'Enter an address like name@example.com.';
  return errors;
}

/** The subject fields main receives: trimmed, empty optional fields left out, the country upper-cased. */
export function toSubjectFields(form: SubjectForm): SubjectFields {
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(form) as [keyof SubjectForm, string][]) {
    const value = k === 'country' ? v.trim().toUpperCase() : v.trim();
    if (value !== '') fields[k] = value;
  }
  return { ...fields, commonName: form.commonName.trim() } as SubjectFields;
}

/** Why a step cannot be left yet, or null when it can. */
export function stepProblem(step: Step, state: { key: KeyChoice; subject: SubjectForm; sans: readonly SanEntry[] }): string | null {
  switch (step) {
    case 'key':
      return state.key.kind === 'existing' && state.key.keyId === null ? 'Choose a key from the vault, or generate a new one.' : null;
    case 'subject': {
      const n = Object.keys(subjectErrors(state.subject)).length;
      return n === 0 ? null : `Fix the ${n === 1 ? 'field' : `${n} fields`} marked below.`;
    }
    case 'names': {
      if (state.sans.some((s) => s.check === null)) return 'Wait until the names have been checked.';
      const bad = state.sans.filter((s) => s.check && !s.check.ok).length;
      return bad === 0 ? null : `Remove or correct the ${bad === 1 ? 'invalid name' : `${bad} invalid names`}.`;
    }
    case 'review':
      return null;
  }
}

/** A file name for a CSR: the common name with `*` spelled out and anything unsafe replaced. */
export function csrFileName(commonName: string): string {
  const base = commonName.trim().replace(/^\*\./, 'wildcard.').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '');
  return `${base || 'request'}.csr`;
}
