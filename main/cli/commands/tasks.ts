/**
 * `certdesk tasks [--account NAME] [--json]` and `certdesk task show ID [--wait] [--json]`
 *
 * Unfinished tasks are read from their provider once before they are shown. `task show --wait`
 * follows a task (for instance one started before a restart) to its end.
 */
import { parse, usage } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { printJson, type Io } from '../io.js';
import type { CommandContext } from '../main.js';
import { openProviderServices, type ProviderServices } from '../services.js';
import { taskView } from '../../services/deployment-service.js';
import type { TaskRecord } from '../../store/schema.js';

const FINAL = new Set(['succeeded', 'failed']);

/** One line about a task, for people. */
export function taskLine(t: TaskRecord): string {
  const what = t.action === 'deploy' ? `deploy v${t.version ?? '?'} → ${t.env}` : `undeploy ← ${t.env}`;
  return `${t.id}  ${t.certificateName}  ${what}  ${t.status}${FINAL.has(t.status) ? '' : ` ${t.progress}%`}  ${t.submittedAt}${t.detail !== null ? `  ${t.detail}` : ''}`;
}

/** Why a task did not succeed, with the provider's status, code and request id when known. */
export function taskFailure(t: TaskRecord): string {
  const what = t.action === 'deploy' ? `deploying version ${t.version ?? '?'} of "${t.certificateName}" to ${t.env}` : `undeploying "${t.certificateName}" from ${t.env}`;
  if (!FINAL.has(t.status)) {
    return `${what} is still ${t.status} (task ${t.id}); Certdesk stopped following it. Follow it again with: certdesk task show ${t.id} --wait`;
  }
  const e = t.error;
  const facts = e === null ? [] : [e.httpStatus !== undefined ? `HTTP ${e.httpStatus}` : null, e.providerCode ?? null, e.requestId !== undefined ? `request id ${e.requestId}` : null].filter((x): x is string => x !== null);
  const reason = t.detail ?? e?.message ?? 'the provider reported a failure';
  return `${what} failed (task ${t.id}${t.providerTaskId !== null ? `, provider task ${t.providerTaskId}` : ''}): ${reason}${facts.length > 0 && !reason.includes(facts[facts.length - 1] ?? '') ? ` (${facts.join(', ')})` : ''}`;
}

/** Follows a task to its end, drawing progress on stderr when it is a terminal. */
export async function followTask(io: Io, services: ProviderServices, task: TaskRecord): Promise<TaskRecord> {
  const live = io.stderrIsTty === true;
  const draw = (t: TaskRecord): void => {
    if (live) io.stderr(`\r\u001b[2K${t.action} ${t.action === 'deploy' ? `v${t.version ?? '?'} → ` : '← '}${t.env}: ${t.status} ${t.progress}%`);
  };
  draw(task);
  const unsubscribe = services.deployments.subscribe((e) => {
    if (e.task.id === task.id) draw(e.task);
  });
  try {
    return await services.deployments.wait(task.id);
  } finally {
    unsubscribe();
    if (live) io.stderr('\n');
  }
}

/** Prints a task and returns the exit status: 0 only when it succeeded (or, unfollowed, is under way). */
export function reportTask(io: Io, task: TaskRecord, json: boolean, followed: boolean): number {
  if (json) printJson(io, taskView(task));
  else io.stdout(`${taskLine(task)}\n`);
  if (task.status === 'succeeded') return EXIT.ok;
  if (task.status === 'failed' || followed) {
    io.stderr(`certdesk: ${taskFailure(task)}\n`);
    return EXIT.provider;
  }
  if (!json) io.stderr(`certdesk: follow it with: certdesk task show ${task.id} --wait\n`);
  return EXIT.ok;
}

async function list(ctx: CommandContext, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse<{ account?: string; json?: boolean }>('tasks', argv, { account: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length > 0) usage('tasks', `unexpected argument "${positionals[0]}"`);
  const services = await openProviderServices(ctx);
  const before = await services.deployments.list(values.account !== undefined ? { account: values.account } : {});
  for (const t of before.filter((x) => !FINAL.has(x.status))) {
    await services.deployments.refresh(t.id).catch((err: unknown) => ctx.io.stderr(`certdesk: could not read task ${t.id}: ${(err as Error).message}\n`));
  }
  const tasks = await services.deployments.list(values.account !== undefined ? { account: values.account } : {});
  if (values.json) printJson(ctx.io, { tasks: tasks.map(taskView) });
  else if (tasks.length === 0) ctx.io.stdout('No deployment tasks.\n');
  else for (const t of tasks) ctx.io.stdout(`${taskLine(t)}\n`);
  return EXIT.ok;
}

async function show(ctx: CommandContext, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse<{ wait?: boolean; json?: boolean }>('task show', argv, { wait: { type: 'boolean' }, json: { type: 'boolean' } });
  if (positionals.length !== 1) usage('task show', 'name exactly one task ID (see "certdesk tasks")');
  const services = await openProviderServices(ctx);
  let task = services.deployments.get(positionals[0] as string);
  if (values.wait === true) task = await followTask(ctx.io, services, task);
  else if (!FINAL.has(task.status)) task = await services.deployments.refresh(task.id);
  if (values.json) printJson(ctx.io, taskView(task));
  else {
    ctx.io.stdout(`${taskLine(task)}\n`);
    if (task.error !== null) ctx.io.stdout(`  error: ${task.error.code}: ${task.error.message}\n`);
  }
  if (values.wait === true && task.status !== 'succeeded') {
    ctx.io.stderr(`certdesk: ${taskFailure(task)}\n`);
    return EXIT.provider;
  }
  return EXIT.ok;
}

/** `certdesk tasks`. */
export async function tasksCommand(ctx: CommandContext): Promise<number> {
  return list(ctx, ctx.argv);
}

/** `certdesk task show`. */
export async function taskCommand(ctx: CommandContext): Promise<number> {
  const [sub, ...rest] = ctx.argv;
  if (sub === 'show') return show(ctx, rest);
  return usage('task', sub === undefined ? 'name a subcommand: show ID' : `unknown subcommand "${sub}"; use show ID`);
}
