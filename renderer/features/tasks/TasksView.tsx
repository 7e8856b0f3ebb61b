/**
 * Tasks: deployments running now with live progress (status, elapsed time, what each waits on)
 * and those finished, failures with the provider's message, HTTP status, code and request id,
 * and retry.
 */
import type { TaskSummary } from '../../../shared/api.js';
import { EmptyState } from '../../components/EmptyState.js';
import { errorMessage, Notice } from '../../components/Notice.js';
import { PageHeader } from '../../components/PageHeader.js';
import { certificateHash } from '../certificates/selection.js';
import { useLiveUpdates } from '../certificates/use-certificates.js';
import { formatTime } from '../keys/key-format.js';
import { hashOf } from '../shell/routes.js';
import { TaskProgress, TaskStatus } from './TaskProgress.js';
import { elapsedText, failureFacts, isRunning, taskTitle } from './task-text.js';
import { useRetryTask, useTasks } from './use-tasks.js';

function TaskHeading({ task }: { task: TaskSummary }): React.JSX.Element {
  return (
    <div className="task-heading">
      <a href={certificateHash({ account: task.account, certificate: task.certificate })} className="strong">
        {task.certificateName}
      </a>
      <span className="muted">{` · ${task.accountName}`}</span>
      <div>{taskTitle(task)}</div>
    </div>
  );
}

function RunningTask({ task }: { task: TaskSummary }): React.JSX.Element {
  return (
    <li className="task-item" aria-label={`${task.certificateName}: ${taskTitle(task)}`}>
      <TaskHeading task={task} />
      <TaskProgress task={task} />
    </li>
  );
}

function FinishedTask({ task, retry }: { task: TaskSummary; retry: ReturnType<typeof useRetryTask> }): React.JSX.Element {
  const facts = failureFacts(task);
  const retrying = retry.isPending && retry.variables === task.id;
  return (
    <li className={task.status === 'failed' ? 'task-item failed' : 'task-item'} aria-label={`${task.certificateName}: ${taskTitle(task)}, ${task.status}`}>
      <div className="row" style={{ justifyContent: 'space-between', alignItems: 'flex-start' }}>
        <TaskHeading task={task} />
        <div className="row">
          <TaskStatus task={task} />
          <span className="muted small">{`${formatTime(task.submittedAt)} · took ${elapsedText(task.submittedAt, task.finishedAt ?? task.updatedAt, Date.parse(task.updatedAt))}`}</span>
          {task.status === 'failed' ? (
            <button type="button" className="btn btn-small" onClick={() => retry.mutate(task.id)} disabled={retrying} aria-label={`Retry: ${taskTitle(task)} of ${task.certificateName}`}>
              {retrying ? 'Retrying…' : 'Retry'}
            </button>
          ) : null}
        </div>
      </div>
      {task.status === 'failed' ? (
        <div className="task-failure">
          <div className="strong">{task.detail ?? task.error?.message ?? 'The provider reported a failure.'}</div>
          {task.error !== null && task.detail !== null && task.error.message !== task.detail ? <div className="small">{task.error.message}</div> : null}
          {facts.length > 0 ? <div className="mono small">{facts.join(' · ')}</div> : null}
          {task.error !== null ? <div className="muted small">{`Error code ${task.error.code}`}</div> : null}
        </div>
      ) : task.detail ? (
        <div className="muted small">{task.detail}</div>
      ) : null}
    </li>
  );
}

/** The Tasks screen. */
export function TasksView(): React.JSX.Element {
  useLiveUpdates();
  const tasks = useTasks();
  const retry = useRetryTask();
  const running = tasks.data?.filter(isRunning) ?? [];
  const finished = tasks.data?.filter((t) => !isRunning(t)) ?? [];
  return (
    <div className="page">
      <PageHeader title="Tasks" description="Deployments and undeployments: those running now with live progress, and those finished. A failed task shows what the provider said; retry starts it again." />
      {retry.isError ? (
        <Notice tone="danger" title="The task was not started again">
          {errorMessage(retry.error)}
        </Notice>
      ) : null}
      {tasks.isPending ? (
        <p className="muted" role="status">
          Loading tasks…
        </p>
      ) : tasks.isError ? (
        <Notice tone="danger" title="Tasks could not be read">
          {errorMessage(tasks.error)}
        </Notice>
      ) : tasks.data.length === 0 ? (
        <section className="panel" aria-label="No tasks">
          <EmptyState
            title="No deployments yet"
            actions={
              <a className="btn btn-primary" href={hashOf('certificates')}>
                Go to certificates
              </a>
            }
          >
            Deploying a version to staging or production (from a certificate’s page) starts a task. Its progress shows here while the provider rolls it out.
          </EmptyState>
        </section>
      ) : (
        <>
          <section className="panel" aria-labelledby="running-heading">
            <div className="panel-header">
              <h2 id="running-heading">Running</h2>
              <span className="muted small" aria-live="polite">
                {running.length === 0 ? 'Nothing running' : `${running.length} running`}
              </span>
            </div>
            {running.length > 0 ? (
              <ul className="task-list">
                {running.map((t) => (
                  <RunningTask key={t.id} task={t} />
                ))}
              </ul>
            ) : null}
          </section>
          <section className="panel" aria-labelledby="finished-heading">
            <div className="panel-header">
              <h2 id="finished-heading">Finished</h2>
              <span className="muted small">{`${finished.filter((t) => t.status === 'failed').length} failed · ${finished.filter((t) => t.status === 'succeeded').length} succeeded`}</span>
            </div>
            {finished.length > 0 ? (
              <ul className="task-list">
                {finished.map((t) => (
                  <FinishedTask key={t.id} task={t} retry={retry} />
                ))}
              </ul>
            ) : (
              <p className="muted" style={{ padding: 14 }}>
                Nothing finished yet.
              </p>
            )}
          </section>
        </>
      )}
    </div>
  );
}
