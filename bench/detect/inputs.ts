/**
 * Fixed synthetic inputs for the detector benches: a chat prompt of the kind an IDE assistant sends (prose,
 * code, a stack trace, JSON, numbers, URLs, hashes) with a couple of secrets in it. Deterministic.
 */

const PROSE = `I'm refactoring the billing service and the nightly job started failing after we moved to the new
queue. The worker reads orders from the database, computes the invoice totals and posts them to the ledger API.
It worked fine until last Tuesday (version 2.14.3, build 20240517.4). Could you look at the code below and tell
me why the retry logic never kicks in? We run 3 replicas on Kubernetes 1.29 with 512Mi of memory each, and the
timeout is 30 seconds. Commit 9f1c2ab7e4d3 changed the batch size from 100 to 250.\n`;

const CODE = `export async function processBatch(orders: Order[], client: LedgerClient): Promise<Result[]> {
  const results: Result[] = [];
  for (const order of orders) {
    const total = order.items.reduce((sum, item) => sum + item.price * item.quantity, 0);
    try {
      const res = await client.post('/v1/entries', { orderId: order.id, total, currency: order.currency });
      results.push({ id: order.id, ok: res.status === 201 });
    } catch (err) {
      logger.warn({ err, orderId: order.id }, 'ledger post failed; will retry');
      if (attempt++ < MAX_RETRIES) await sleep(backoff(attempt));
    }
  }
  return results;
}\n`;

const TRACE = `Error: connect ETIMEDOUT 10.12.4.21:5432
    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)
    at processBatch (/srv/app/dist/billing/worker.js:88:19)
    at async Queue.run (/srv/app/node_modules/bullmq/dist/cjs/classes/worker.js:455:30)\n`;

const JSON_BLOB = `{"id":"c0a8012e-7b4f-4c1a-9e55-3f1d2c4b6a70","created":"2024-05-17T10:30:00Z","items":[{"sku":"SKU-88412",
"qty":2,"price":19.99},{"sku":"SKU-10233","qty":1,"price":249.5}],"sha256":"9b74c9897bac770ffc029102a200c5de7c7f2a3c5e4d6b8a1f0e9d8c7b6a5f4e",
"trace":"https://tracing.internal.example/trace/4bf92f3577b34da6a3ce929d0e0e4736","retries":3}\n`;

const SECRETS = [
  'DATABASE_URL=postgres://billing:Hk2v9QpR4tW8@db.internal:5432/billing\n',
  'export OPENAI_API_KEY=sk-proj-_FgujJUFC8hR--S3v_A3Cwj7zPC7JrjmgQwU2yyECUNH69Z4Nrzo-sBPoyITuD73T3BlbkFJPEPnwSfLdHObaDQKW4aPPWjv7V5kl7UO3bTRTV9QK0JpYmrFZLIR4L3NdNP7ZJUO\n',
];

/** About `size` characters of prompt text; `secrets` of them carry a secret (placed near the start and middle). */
export function syntheticPrompt(size: number, secrets = 2): string {
  const blocks = [PROSE, CODE, TRACE, JSON_BLOB];
  let out = '';
  let i = 0;
  let placed = 0;
  while (out.length < size) {
    if (placed < secrets && out.length >= (placed * size) / Math.max(1, secrets)) {
      out += SECRETS[placed % SECRETS.length];
      placed++;
    }
    out += blocks[i % blocks.length];
    i++;
  }
  return out.slice(0, size);
}

const LOG_LINE = 'The deployment log shows the worker restarted after the health check timed out. ';

/**
 * About `size` characters of plain prose (one sentence repeated) with one AWS access key id and one e-mail
 * address at the start: the common case of a long prompt whose keywords occur once or twice.
 */
export function prosePrompt(size: number): string {
  const head = 'Key AKIAZ7QW3RT5YU2IO4PD was rotated by ops.lead@acme-corp.com yesterday. ';
  return (head + LOG_LINE.repeat(Math.ceil(size / LOG_LINE.length))).slice(0, size);
}

/**
 * Hostile inputs for the digit-run pass (core/detect/digit-runs.ts), each the worst of one kind when repeated:
 * - digit groups: near misses of every rule keyed on digits (cards, phones, SSN, NHS, IBAN, NINO, IP and MAC
 *   addresses, wallets), cut just before they would match: every run fits some anchor and sends its rule to a
 *   regex attempt, and every rule reaches its limit (then runs over the whole text);
 * - short runs: one digit between separators, the most runs a text can hold;
 * - long runs: digits without end, one run for the whole text.
 */
export const HOSTILE_DIGITS: Readonly<Record<string, string>> = {
  'digit groups':
    '4539 148x 536-90-44x 461 107 228x (020) 79x +4x 415-55x 1-80x 10.0.x a7c3:4x ab:1x 3c:7d:0a:9x ' +
    'GB40 WEST 52x JG 10 37 4x 1GUfAa bc1q8x 912-78-44x 0c1e.4fa2.x ',
  'short runs': '1 2-3.4:5/6(7)8+9,0=1_2a3B4 ',
  'long runs': '12345678901234567890',
};
