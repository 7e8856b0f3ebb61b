/** Preferences from main, through TanStack Query. */
import { useMutation, useQuery, useQueryClient, type UseMutationResult, type UseQueryResult } from '@tanstack/react-query';
import type { Settings } from '../../../shared/api.js';

/** Query key of the preferences. */
export const SETTINGS_KEY = ['settings'] as const;

/** The current preferences. */
export function useSettings(): UseQueryResult<Settings> {
  return useQuery({ queryKey: SETTINGS_KEY, queryFn: () => window.certdesk.settings.get() });
}

/** Changes some preferences. */
export function useUpdateSettings(): UseMutationResult<Settings, Error, Partial<Settings>, { previous: Settings | undefined }> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: Partial<Settings>) => window.certdesk.settings.set(patch),
    // Shown at once (a theme switch should not wait for the disk); put back if main refuses.
    onMutate: async (patch) => {
      // A read still in flight must not land after this and put the old value back.
      await client.cancelQueries({ queryKey: SETTINGS_KEY });
      const previous = client.getQueryData<Settings>(SETTINGS_KEY);
      if (previous) client.setQueryData(SETTINGS_KEY, { ...previous, ...patch });
      return { previous };
    },
    onError: (_err, _patch, context) => {
      if (context?.previous) client.setQueryData(SETTINGS_KEY, context.previous);
    },
    onSuccess: (settings) => client.setQueryData(SETTINGS_KEY, settings),
  });
}
