/** Provider accounts from main: the secret goes in with `add` and never comes back. */
import { useMutation, useQuery, useQueryClient, type UseMutationResult, type UseQueryResult } from '@tanstack/react-query';
import type { AccountInput, AccountSummary, ConnectionResult } from '../../../shared/api.js';
import { invalidateInventory } from '../certificates/use-certificates.js';

/** Query key of the account list. */
export const ACCOUNTS_KEY = ['accounts'] as const;

/** Every provider account. */
export function useAccounts(): UseQueryResult<AccountSummary[]> {
  return useQuery({ queryKey: ACCOUNTS_KEY, queryFn: () => window.certdesk.accounts.list() });
}

/** Adds an account (its secret goes to the OS keychain). */
export function useAddAccount(): UseMutationResult<AccountSummary, Error, AccountInput> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: AccountInput) => window.certdesk.accounts.add(input),
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: ACCOUNTS_KEY }), invalidateInventory(client)]),
  });
}

/** Checks an account's endpoint and credentials. */
export function useTestAccount(): UseMutationResult<ConnectionResult, Error, string> {
  return useMutation({ mutationFn: (account: string) => window.certdesk.accounts.test({ account }) });
}

/** Removes an account and its keychain secret. */
export function useRemoveAccount(): UseMutationResult<void, Error, string> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (account: string) => window.certdesk.accounts.remove({ account }),
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: ACCOUNTS_KEY }), invalidateInventory(client)]),
  });
}
