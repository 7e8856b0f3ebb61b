/** Vault keys and pending CSRs from main, through TanStack Query. */
import { useMutation, useQuery, useQueryClient, type UseMutationResult, type UseQueryResult } from '@tanstack/react-query';
import type { ImportedKeySummary, InputFile, KeyExportFormat, KeySummary, PendingRequestSummary, SaveResult } from '../../../shared/api.js';
import type { KeyType } from '../../../shared/pki-types.js';

/** Query key of the key list. */
export const KEYS_KEY = ['keys'] as const;
/** Query key of the pending CSRs. */
export const PENDING_KEY = ['csr', 'pending'] as const;

/** Every key in the vault. */
export function useKeys(): UseQueryResult<KeySummary[]> {
  return useQuery({ queryKey: KEYS_KEY, queryFn: () => window.certdesk.keys.list() });
}

/** CSRs waiting for their certificate. */
export function usePendingRequests(): UseQueryResult<PendingRequestSummary[]> {
  return useQuery({ queryKey: PENDING_KEY, queryFn: () => window.certdesk.csr.pending() });
}

/** Generates a key in main. */
export function useGenerateKey(): UseMutationResult<KeySummary, Error, { type: KeyType; label?: string }> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { type: KeyType; label?: string }) => window.certdesk.keys.generate(input),
    onSuccess: () => client.invalidateQueries({ queryKey: KEYS_KEY }),
  });
}

/** Deletes a key (`force` also drops CSRs waiting on it). */
export function useDeleteKey(): UseMutationResult<void, Error, { id: string; force?: boolean }> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; force?: boolean }) => window.certdesk.keys.delete(input),
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: KEYS_KEY }), client.invalidateQueries({ queryKey: PENDING_KEY })]),
  });
}

/** Puts the private keys of files into the vault. */
export function useImportKeys(): UseMutationResult<ImportedKeySummary[], Error, { files: InputFile[]; label?: string }> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { files: InputFile[]; label?: string }) => window.certdesk.keys.import(input),
    onSuccess: () => client.invalidateQueries({ queryKey: KEYS_KEY }),
  });
}

/** Exports a key, encrypted with a password, where the user chooses (main's save dialog). */
export function useExportKey(): UseMutationResult<SaveResult, Error, { id: string; format: KeyExportFormat; password: string; legacy?: boolean }> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; format: KeyExportFormat; password: string; legacy?: boolean }) => window.certdesk.keys.export(input),
    onSuccess: () => client.invalidateQueries({ queryKey: KEYS_KEY }),
  });
}
