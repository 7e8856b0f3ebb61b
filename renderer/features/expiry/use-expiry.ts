/** The expiry overview from main. */
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { ExpiryOverview } from '../../../shared/api.js';
import { EXPIRY_KEY } from '../certificates/use-certificates.js';

/** Expiry dates of every certificate in every environment, and the attention list. */
export function useExpiry(): UseQueryResult<ExpiryOverview> {
  return useQuery({ queryKey: EXPIRY_KEY, queryFn: () => window.certdesk.expiry.overview() });
}
