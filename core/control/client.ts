/** The one typed way into the daemon: the CLI and the tray app use this client and nothing else. */
import http from 'node:http';
import type { z } from 'zod';
import { ControlError } from '../errors.js';
import { CONTROL_HOST } from './server.js';
import {
  envReplySchema,
  errorReplySchema,
  policyPullReplySchema,
  policyShowReplySchema,
  statusReplySchema,
  stopReplySchema,
  type EnvReply,
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

  policy(): Promise<PolicyShowReply> {
    return this.call('GET', '/v1/policy', policyShowReplySchema);
  }

  policyPull(): Promise<PolicyPullReply> {
    return this.call('POST', '/v1/policy/pull', policyPullReplySchema);
  }

  stop(): Promise<StopReply> {
    return this.call('POST', '/v1/stop', stopReplySchema);
  }

  private call<T>(method: 'GET' | 'POST', path: string, schema: z.ZodType<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const req = http.request(
        {
          socketPath: this.socketPath,
          method,
          path,
          headers: { host: CONTROL_HOST },
          timeout: this.timeoutMs,
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
              reject(
                new ControlError(
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
      req.end();
    });
  }
}
