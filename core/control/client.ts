/** The one typed way into the daemon: the CLI and the tray app use this client and nothing else. */
import http from 'node:http';
import type { z } from 'zod';
import { ControlError, isLlmgateErrorCode } from '../errors.js';
import { CONTROL_HOST } from './server.js';
import {
  auditSyncReplySchema,
  envReplySchema,
  errorReplySchema,
  eventsReplySchema,
  loginStartReplySchema,
  loginWaitReplySchema,
  logoutReplySchema,
  type LoginStartReply,
  type LoginWaitReply,
  type LogoutReply,
  policyPullReplySchema,
  policyShowReplySchema,
  statusReplySchema,
  stopReplySchema,
  type AuditSyncReply,
  type EnvReply,
  type EventsReply,
  type PolicyPullReply,
  type PolicyShowReply,
  type StatusReply,
  type StopReply,
} from './protocol.js';

export class ControlClient {
  constructor(
    private readonly socketPath: string,
    private readonly timeoutMs = 5_000,
  ) {}

  status(): Promise<StatusReply> {
    return this.call('GET', '/v1/status', statusReplySchema);
  }

  env(): Promise<EnvReply> {
    return this.call('GET', '/v1/env', envReplySchema);
  }

  /** The most recent audit events of this daemon run, oldest first. */
  events(): Promise<EventsReply> {
    return this.call('GET', '/v1/events', eventsReplySchema);
  }

  /** Exports the audit backlog to the collector now; waits for the export (up to the timeout). */
  auditSync(): Promise<AuditSyncReply> {
    return this.call('POST', '/v1/audit/sync', auditSyncReplySchema);
  }

  policy(): Promise<PolicyShowReply> {
    return this.call('GET', '/v1/policy', policyShowReplySchema);
  }

  policyPull(): Promise<PolicyPullReply> {
    return this.call('POST', '/v1/policy/pull', policyPullReplySchema);
  }

  stop(): Promise<StopReply> {
    return this.call('POST', '/v1/stop', stopReplySchema);
  }

  /** Starts a sign-in in the daemon (which owns the loopback listener and the keychain). */
  loginStart(method: 'browser' | 'device'): Promise<LoginStartReply> {
    return this.call('POST', '/v1/login/start', loginStartReplySchema, { method }, 60_000);
  }

  /** Long poll: the daemon answers within ~20 s, `pending` if the user has not finished yet. */
  loginWait(flowId: string): Promise<LoginWaitReply> {
    return this.call('POST', '/v1/login/wait', loginWaitReplySchema, { flowId }, 60_000);
  }

  logout(): Promise<LogoutReply> {
    return this.call('POST', '/v1/logout', logoutReplySchema, undefined, 60_000);
  }

  private call<T>(
    method: 'GET' | 'POST',
    path: string,
    schema: z.ZodType<T>,
    requestBody?: unknown,
    timeoutMs = this.timeoutMs,
  ): Promise<T> {
    const payload = requestBody === undefined ? undefined : JSON.stringify(requestBody);
    return new Promise<T>((resolve, reject) => {
      const req = http.request(
        {
          socketPath: this.socketPath,
          method,
          path,
          headers:
            payload === undefined
              ? { host: CONTROL_HOST }
              : {
                  host: CONTROL_HOST,
                  'content-type': 'application/json',
                  'content-length': Buffer.byteLength(payload),
                },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.once('end', () => {
            let body: unknown;
            try {
              body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch (err) {
              reject(
                new ControlError('LG_CONTROL_BAD_REPLY', `the daemon answered ${path} with non-JSON`, {
                  cause: err,
                }),
              );
              return;
            }
            if (res.statusCode !== 200) {
              const parsed = errorReplySchema.safeParse(body);
              // The daemon's own codes (LG_IDENTITY_DENIED, ...) reach the face unchanged: they are API.
              // One this build does not know (a newer daemon) is a bad reply, not a cast.
              const code = parsed.success ? parsed.data.error.code : undefined;
              reject(
                parsed.success && isLlmgateErrorCode(code)
                  ? new ControlError(code, parsed.data.error.message)
                  : new ControlError(
                      'LG_CONTROL_BAD_REPLY',
                      parsed.success
                        ? `${parsed.data.error.code}: ${parsed.data.error.message}`
                        : `HTTP ${res.statusCode}`,
                    ),
              );
              return;
            }
            const parsed = schema.safeParse(body);
            if (!parsed.success) {
              reject(
                new ControlError(
                  'LG_CONTROL_BAD_REPLY',
                  `unexpected reply to ${path}: ${parsed.error.message}`,
                ),
              );
              return;
            }
            resolve(parsed.data);
          });
        },
      );
      req.once('timeout', () => req.destroy(new Error('timed out')));
      req.once('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') {
          reject(new ControlError('LG_CONTROL_DAEMON_DOWN', 'llmgate is not running', { cause: err }));
        } else {
          reject(
            new ControlError('LG_CONTROL_BAD_REPLY', `control socket error: ${err.message}`, { cause: err }),
          );
        }
      });
      req.end(payload);
    });
  }
}
