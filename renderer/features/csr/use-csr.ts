/** CSR calls to main through TanStack Query. */
import { useMutation, useQuery, useQueryClient, type UseMutationResult, type UseQueryResult } from '@tanstack/react-query';
import type { CsrCreated, CsrPreview, CsrRequest, RekeyTemplate, SanCheck, SaveResult } from '../../../shared/api.js';
import type { SubjectFields } from '../../../shared/pki-types.js';
import type { CertificateTarget } from '../certificates/use-certificates.js';
import { KEYS_KEY, PENDING_KEY } from '../keys/use-keys.js';
import type { SanEntry } from './wizard.js';

/** Checks SAN entries with main's rules. */
export function useCheckSans(): UseMutationResult<SanCheck[], Error, string[]> {
  return useMutation({ mutationFn: (values: string[]) => window.certdesk.csr.checkSans(values) });
}

/** Main's preview and lint of the request, while `enabled`. */
export function useCsrPreview(subject: SubjectFields, sans: readonly string[], enabled: boolean): UseQueryResult<CsrPreview> {
  return useQuery({
    queryKey: ['csr', 'preview', subject, sans],
    queryFn: () => window.certdesk.csr.preview({ subject, sans: [...sans] }),
    enabled,
    staleTime: Infinity,
  });
}

/** Creates the key (if asked) and the CSR in main. */
export function useCreateCsr(): UseMutationResult<CsrCreated, Error, CsrRequest> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: CsrRequest) => window.certdesk.csr.create(request),
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: KEYS_KEY }), client.invalidateQueries({ queryKey: PENDING_KEY })]),
  });
}

/** Saves text through main's save dialog. */
export function useSaveText(): UseMutationResult<SaveResult, Error, { defaultName: string; content: string }> {
  return useMutation({ mutationFn: (input: { defaultName: string; content: string }) => window.certdesk.dialogs.saveText(input) });
}

/** What a re-key starts from: the latest version's names, its SANs already checked by main. */
export interface RekeyStart {
  readonly template: RekeyTemplate;
  readonly sans: SanEntry[];
}

/** The names of a certificate's latest version, for a new key and CSR (`null`: not a re-key). */
export function useRekeyTemplate(target: CertificateTarget | null): UseQueryResult<RekeyStart> {
  return useQuery({
    queryKey: ['csr', 'rekey', target?.account, target?.certificate],
    queryFn: async () => {
      const template = await window.certdesk.versions.rekeyTemplate(target as CertificateTarget);
      const checks = await window.certdesk.csr.checkSans([...template.sans]);
      return { template, sans: checks.map((check) => ({ input: check.input, check })) };
    },
    enabled: target !== null,
    // The wizard's state starts from it once; a refetch must not reset what the user changed.
    staleTime: Infinity,
    gcTime: 0,
  });
}
