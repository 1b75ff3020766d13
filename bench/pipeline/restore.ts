/**
 * What restoring pseudonyms costs a streamed answer, measured on the restore stage itself (in process, so
 * the figures are not lost in the noise of three processes and TLS):
 *
 * - time to first token added: from the moment the first upstream chunk (response head, then the first
 *   event) reaches the stage until the stage has handed it on, with restore active (a vault holding the
 *   prompt's stand-ins) against the same stage with an empty vault (which passes everything through);
 * - per-event cost on 10,000-event streams of each format, the text cut 3 characters per event with a
 *   stand-in split across events every ~300 characters, one event per network chunk as providers send
 *   them; against the same stream with nothing held in the vault.
 *
 * Sizes from env: BENCH_STREAMS (default 2000 first-token samples), BENCH_EVENTS (default 10000).
 *
 *   npm run bench
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { restoreStage, type ResponseHandler, type StreamController } from '../../core/pipeline/index.js';
import { createVault, type PseudonymVault } from '../../core/pseudonym/index.js';
import { echoAnswer, type EchoFormat } from '../../test/support/echo.js';
import { exchangeFor } from '../../test/support/restore.js';

const STREAMS = Number(process.env.BENCH_STREAMS ?? 2000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
const NOW = 1_800_000_000_000;

const controller: StreamController = { pause() {}, resume() {}, abort() {} };

/** The client end: counts bytes, notes when the first one arrived. */
class Sink implements ResponseHandler {
  bytes = 0;
  firstAt = 0;
  onRequestStart(): void {}
  onResponseStart(): void {}
  onResponseData(_c: StreamController, chunk: Buffer): void {
    if (this.bytes === 0) this.firstAt = performance.now();
    this.bytes += chunk.length;
  }
  onResponseEnd(): void {}
  onResponseError(_c: StreamController | undefined, error: Error): void {
    throw error;
  }
}

const SSE = { 'content-type': 'text/event-stream' };
const NDJSON = { 'content-type': 'application/x-ndjson' };

/** Replays `chunks` through the restore stage; returns [ms to hand on the first chunk, ms in total]. */
function replay(vault: PseudonymVault, format: EchoFormat, chunks: readonly Buffer[]): [number, number] {
  const sink = new Sink();
  let start = 0;
  const dispatch = restoreStage({ vault, restoreToolArguments: true, now: () => NOW })((_e, handler) => {
    start = performance.now();
    handler.onRequestStart(controller);
    handler.onResponseStart(controller, 200, format === 'ollama' ? NDJSON : SSE);
    for (const chunk of chunks) handler.onResponseData(controller, chunk);
    handler.onResponseEnd(controller);
  });
  dispatch(exchangeFor(format, true), sink);
  const end = performance.now();
  if (sink.bytes === 0) throw new Error('nothing came out');
  return [sink.firstAt - start, end - start];
}

/** A prompt of `chars` characters with an e-mail address every ~300 characters, and its stand-ins. */
function answerText(vault: PseudonymVault | undefined, chars: number): string {
  const filler = 'The worker restarted after the health check timed out, so the queue backed up. ';
  let text = '';
  let i = 0;
  while (text.length < chars) {
    const standIn = vault?.standIn('email', `user${i++}@acme-corp.io`, NOW) ?? `user${i++}@acme-corp.io`;
    text += `${filler}${filler}${filler}Mail ${standIn} now. `;
  }
  return text.slice(0, chars);
}

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function vaultWithEntries(): PseudonymVault {
  return createVault({ key: randomBytes(32), idleTtlMs: 3_600_000, maxEntries: 100_000 });
}

export function runRestoreBench(): void {
  console.log(
    `\nRestoring pseudonyms in streams (node ${process.version}, ${os.cpus().length} cores; restore stage in process)`,
  );

  // Time to first token: a short answer quoting a stand-in in its first event.
  const active = vaultWithEntries();
  const idle = vaultWithEntries();
  const first = (vault: PseudonymVault): Buffer[] =>
    echoAnswer('openai-chat', `Sure: ${vault.standIn('email', 'jane.doe@acme-corp.io', NOW) ?? ''} it is.`, {
      stream: true,
      tool: false,
      size: () => 8,
    }).events!.map((e) => Buffer.from(e));
  const activeChunks = first(active);
  const idleChunks = echoAnswer('openai-chat', 'Sure: jane.doe@acme-corp.io it is.', {
    stream: true,
    tool: false,
    size: () => 8,
  }).events!.map((e) => Buffer.from(e));
  idle.clear();
  const on: number[] = [];
  const off: number[] = [];
  for (let i = 0; i < STREAMS + 500; i++) {
    const a = replay(active, 'openai-chat', activeChunks)[0];
    const b = replay(idle, 'openai-chat', idleChunks)[0];
    if (i >= 500) {
      on.push(a);
      off.push(b);
    }
  }
  const us = (ms: number): string => `${(ms * 1000).toFixed(1)} µs`;
  console.log(
    '| first token (OpenAI chat stream) | restore off p50 | restore on p50 | **added p50** | added p99 |',
  );
  console.log('|---|---:|---:|---:|---:|');
  console.log(
    `| ${STREAMS} streams | ${us(pct(off, 50))} | ${us(pct(on, 50))} | **${us(pct(on, 50) - pct(off, 50))}** | ${us(pct(on, 99) - pct(off, 99))} |`,
  );

  // Per-event cost on long streams.
  console.log(
    `\n| ${EVENTS}-event stream | events | restore off | restore on | **added per event** | stand-ins restored |`,
  );
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const format of ['openai-chat', 'openai-responses', 'anthropic', 'gemini', 'ollama'] as const) {
    const vault = vaultWithEntries();
    const text = answerText(vault, EVENTS * 3);
    const chunks = echoAnswer(format, text, { stream: true, tool: false, size: () => 3 }).events!.map((e) =>
      Buffer.from(e),
    );
    const plain = echoAnswer(format, answerText(undefined, EVENTS * 3), {
      stream: true,
      tool: false,
      size: () => 3,
    }).events!.map((e) => Buffer.from(e));
    const empty = vaultWithEntries();
    const runs = 7;
    const onTimes: number[] = [];
    const offTimes: number[] = [];
    for (let r = 0; r < runs + 2; r++) {
      const a = replay(vault, format, chunks)[1];
      const b = replay(empty, format, plain)[1];
      if (r >= 2) {
        onTimes.push(a);
        offTimes.push(b);
      }
    }
    const onMs = pct(onTimes, 50);
    const offMs = pct(offTimes, 50);
    const perEvent = ((onMs - offMs) * 1000) / chunks.length;
    console.log(
      `| ${format} | ${chunks.length} | ${offMs.toFixed(2)} ms | ${onMs.toFixed(2)} ms | **${perEvent.toFixed(2)} µs** | ${vault.size(NOW)} |`,
    );
  }
}
