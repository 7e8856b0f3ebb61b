/** Deployment tasks from main; progress arrives as events (see useLiveUpdates). */
import { useMutation, useQuery, useQueryClient, type UseMutationResult, type UseQueryResult } from '@tanstack/react-query';
import type { TaskSummary } from '../../../shared/api.js';
import { mergeTask, TASKS_KEY } from '../certificates/use-certificates.js';

/** Every task, newest first. */
export function useTasks(): UseQueryResult<TaskSummary[]> {
  return useQuery({ queryKey: TASKS_KEY, queryFn: () => window.certdesk.tasks.list() });
}

/** Starts a failed task again (as a new task). */
export function useRetryTask(): UseMutationResult<TaskSummary, Error, string> {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => window.certdesk.tasks.retry({ id }),
    onSuccess: (task) => mergeTask(client, task),
    onError: () => client.invalidateQueries({ queryKey: TASKS_KEY }),
  });
}
