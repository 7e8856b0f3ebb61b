/**
 * The HTTP plumbing the provider simulators (Apinizer, Gcore) share: reading a body, answering a
 * request through the injected faults, and serving on a free loopback port.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { realSleep } from '../../main/providers/rate-limiter.js';
import type { Fault } from '../../main/providers/sandbox/faults.js';

/** The whole request body. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** One answer: status, JSON body and extra headers. */
export interface SimAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

/** One request as a simulator answers it, with the fault its injector took for it (if any). */
export interface FaultedRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly fault: Fault | undefined;
  /** Records the request with the status it got ('dropped' when the connection was cut). */
  record(status: number | 'dropped'): void;
  /** The provider's answer to an injected status or rate-limit fault. */
  faultAnswer(fault: Extract<Fault, { kind: 'status' | 'rate-limit' }>): SimAnswer;
  /** Handles the request for real (an error the API would send is an answer too). */
  handle(): SimAnswer;
  /** Writes an answer in the provider's style. */
  send(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void;
}

/**
 * Answers the request: a dropped connection before or after handling, an injected status or
 * rate limit instead of handling, or the real answer (late by the fault's delay).
 */
export async function answerWithFaults(r: FaultedRequest): Promise<void> {
  const { req, res, fault } = r;
  if (fault?.kind === 'drop-before') {
    r.record('dropped');
    req.socket.destroy();
    return;
  }
  if (fault?.kind === 'status' || fault?.kind === 'rate-limit') {
    const answer = r.faultAnswer(fault);
    r.record(answer.status);
    r.send(res, answer.status, answer.body, answer.headers);
    return;
  }
  const { status, body } = r.handle();
  if (fault?.kind === 'drop-after') {
    r.record('dropped');
    req.socket.destroy();
    return;
  }
  r.record(status);
  if (fault?.kind === 'delay') await realSleep(fault.ms);
  if (!res.destroyed) r.send(res, status, body);
}

/** A running simulator server. */
export interface LoopbackServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves `onRequest` on 127.0.0.1 (a free port); a handler that throws answers with `internalError` when it still can. */
export async function listenOnLoopback(
  onRequest: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  internalError: (res: ServerResponse) => void,
): Promise<LoopbackServer> {
  const server = createServer((req, res) => {
    onRequest(req, res).catch(() => {
      if (!res.headersSent) internalError(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
