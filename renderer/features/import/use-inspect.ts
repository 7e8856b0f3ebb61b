/** Inspecting dropped material in main. */
import { useMutation, type UseMutationResult } from '@tanstack/react-query';
import type { InspectResult } from '../../../shared/api.js';
import type { ImportFile } from './read-files.js';

/** Sends the whole set to main; the latest call's answer is what the view shows. */
export function useInspect(): UseMutationResult<InspectResult, Error, readonly ImportFile[]> {
  return useMutation({
    mutationFn: (files: readonly ImportFile[]) =>
      window.certdesk.pki.inspect({ files: files.map((f) => ({ name: f.name, bytes: f.bytes, ...(f.password !== undefined ? { password: f.password } : {}) })) }),
  });
}
