/**
 * `llmgate status --watch`: a live view (ink) of the same status reply `--json` prints, plus the daemon's
 * recent events with the rules that acted on them. It polls the control API; nothing else.
 */
import { Box, Text, useApp, useInput, useStdin } from 'ink';
import { useEffect, useState } from 'react';
import {
  protectionOf,
  type EventsReply,
  type ProtectionState,
  type StatusReply,
} from '../../core/control/index.js';
import { renderStatus } from './status.js';

type RecentEvent = EventsReply['events'][number];

export interface WatchSnapshot {
  /** Undefined when the daemon does not answer. */
  readonly status: StatusReply | undefined;
  readonly events: readonly RecentEvent[];
  readonly at: Date;
}

/** Reads one snapshot; never rejects (a daemon that is down is a snapshot too). */
export type LoadSnapshot = () => Promise<WatchSnapshot>;

const COLOURS: Readonly<Record<ProtectionState, string>> = {
  down: 'red',
  'signed-out': 'yellow',
  protected: 'green',
  attention: 'yellow',
};
const SHOWN_EVENTS = 10;

function clock(iso: string): string {
  return iso.slice(11, 19);
}

/** One event as a line: what happened and, for a redaction or a refusal, which rules and how many values. */
export function eventLine(e: RecentEvent): string {
  const redacted = Object.values(e.redactions).reduce((a, b) => a + b, 0);
  const outcome =
    e.decision === 'allow'
      ? 'allowed'
      : e.decision === 'redact'
        ? `redacted ${redacted} (${e.rules.join(', ')})`
        : `refused (${e.rules[0] ?? e.error ?? 'policy'})`;
  return [
    clock(e.time),
    String(e.status ?? '-').padEnd(3),
    `${e.host}${e.path}`,
    e.model ?? '-',
    outcome,
  ].join('  ');
}

function Quit(): null {
  const { exit } = useApp();
  useInput((input, key) => {
    if (input === 'q' || key.escape || (key.ctrl && input === 'c')) exit();
  });
  return null;
}

export function StatusWatch({ load, intervalMs = 1000 }: { load: LoadSnapshot; intervalMs?: number }) {
  const [snapshot, setSnapshot] = useState<WatchSnapshot | undefined>(undefined);
  const { isRawModeSupported } = useStdin();
  useEffect(() => {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const tick = async (): Promise<void> => {
      const next = await load();
      if (stopped) return;
      setSnapshot(next);
      timer = setTimeout(() => void tick(), intervalMs);
    };
    void tick();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [load, intervalMs]);

  if (snapshot === undefined) return <Text dimColor>Asking the llmgate daemon…</Text>;
  const protection = protectionOf(snapshot.status, snapshot.events, snapshot.at);
  const events = snapshot.events.slice(-SHOWN_EVENTS);
  return (
    <Box flexDirection="column">
      {isRawModeSupported === true ? <Quit /> : null}
      <Text bold color={COLOURS[protection.state]}>
        {protection.headline}
      </Text>
      {snapshot.status === undefined ? (
        <Text>Start it with `llmgate start` (this view keeps checking).</Text>
      ) : (
        <Box flexDirection="column" marginTop={1}>
          <Text>{renderStatus(snapshot.status)}</Text>
          <Box flexDirection="column" marginTop={1}>
            <Text bold>Recent requests</Text>
            {events.length === 0 ? (
              <Text dimColor>none yet</Text>
            ) : (
              events.map((e) => (
                <Text key={e.id} color={e.decision === 'block' ? 'yellow' : undefined}>
                  {eventLine(e)}
                </Text>
              ))
            )}
          </Box>
        </Box>
      )}
      <Text dimColor>
        {`updated ${clock(snapshot.at.toISOString())}${isRawModeSupported === true ? ' · q to quit' : ''}`}
      </Text>
    </Box>
  );
}
