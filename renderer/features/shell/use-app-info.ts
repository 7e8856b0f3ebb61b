/** Facts about the running app (name, version, platform) from main. */
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { AppInfo } from '../../../shared/api.js';

/** The app's name, version and platform; fetched once. */
export function useAppInfo(): UseQueryResult<AppInfo> {
  return useQuery({ queryKey: ['app-info'], queryFn: () => window.certdesk.app.info(), staleTime: Infinity });
}
