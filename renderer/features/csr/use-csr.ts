/** CSR calls to main through TanStack Query. */
import { useMutation, useQuery, useQueryClient, type UseMutationResult, type UseQueryResult } from '@tanstack/react-query';
import type { CsrCreated, CsrPreview, CsrRequest, SanCheck, SaveResult } from '../../../shared/api.js';
import type { SubjectFields } from '../../../shared/pki-types.js';
import { KEYS_KEY, PENDING_KEY } from '../keys/use-keys.js';

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
