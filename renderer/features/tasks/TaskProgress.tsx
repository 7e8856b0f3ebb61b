/** A task's live state: a progress bar with what it waits on and how long it has run. */
import type { TaskSummary } from '../../../shared/api.js';
import { Badge } from '../../components/Badge.js';
import { elapsedText, isRunning, taskTitle, waitingOn } from './task-text.js';
import { useNow } from './use-now.js';

const TONES = { succeeded: 'success', failed: 'danger', inprogress: 'info', waiting: 'neutral' } as const;
const LABELS = { succeeded: 'Succeeded', failed: 'Failed', inprogress: 'In progress', waiting: 'Waiting' } as const;

/** Status badge of a task. */
export function TaskStatus({ task }: { task: TaskSummary }): React.JSX.Element {
  return <Badge tone={TONES[task.status]}>{LABELS[task.status]}</Badge>;
}

/** Progress of one task; `compact` for the environment cards. */
export function TaskProgress({ task, compact = false }: { task: TaskSummary; compact?: boolean }): React.JSX.Element {
  const running = isRunning(task);
  const now = useNow(running);
  const label = `${taskTitle(task)}: ${LABELS[task.status].toLowerCase()}, ${task.progress}%`;
  return (
    <div className={compact ? 'task-progress compact' : 'task-progress'}>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <span className="row">
          <TaskStatus task={task} />
          {compact ? <span>{taskTitle(task)}</span> : null}
        </span>
        <span className="muted small">{elapsedText(task.submittedAt, task.finishedAt, now)}</span>
      </div>
      <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={task.progress}>
        <div className={`progress-bar progress-${task.status}`} style={{ width: `${Math.max(3, task.progress)}%` }} />
      </div>
      {running ? <div className="muted small">{waitingOn(task)}</div> : null}
    </div>
  );
}
