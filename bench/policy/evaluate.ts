/**
 * Policy evaluation time per request for a 200-rule policy (models, tools, providers, size, routes and
 * limits for 20 groups), on fixed inputs: the compiled policy (what the proxy does) against compiling
 * the policy for each request (the alternative a stateless design would pay). Sized from env:
 * BENCH_POLICY_RULES (200), BENCH_POLICY_REQUESTS (200,000).
 */
import {
  compilePolicy,
  evaluatePolicy,
  policyDocumentSchema,
  type PolicyInput,
} from '../../core/policy/index.js';

function policyWith(rules: number): unknown {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < rules; i++) {
    const group = `group-${i % 20}`;
    switch (i % 8) {
      case 0:
        out.push({
          id: `models-${i}`,
          groups: [group],
          models: { allow: [`gpt-4o*`, `claude-3-${i}-*`, `model-${i}`] },
        });
        break;
      case 1:
        out.push({ id: `deny-${i}`, models: { deny: [`*-preview-${i}`, `o${i}-*`] } });
        break;
      case 2:
        out.push({ id: `tools-${i}`, groups: [group], tools: { deny: [`exec_${i}*`, `shell_${i}`] } });
        break;
      case 3:
        out.push({
          id: `tools-allow-${i}`,
          groups: [`other-${i}`],
          tools: { allow: [`lookup_${i}`, 'get_*'] },
        });
        break;
      case 4:
        out.push({
          id: `providers-${i}`,
          hosts: ['api.*'],
          providers: { deny: [`vendor-${i}`, `*.blocked-${i}.example`] },
        });
        break;
      case 5:
        out.push({ id: `size-${i}`, groups: [group], maxRequestBytes: 1_000_000 + i });
        break;
      case 6:
        out.push({
          id: `route-${i}`,
          groups: [`sensitive-${i}`],
          route: { 'api.openai.com': `https://onprem-${i}.example:8443` },
        });
        break;
      default:
        out.push({
          id: `limits-${i}`,
          groups: [group],
          limits: { models: ['gpt-4o*'], requestsPerMinute: 60, tokensPerDay: 200_000 },
        });
    }
  }
  return { id: 'bench', version: 1, rules: out };
}

function inputs(): PolicyInput[] {
  const out: PolicyInput[] = [];
  const models = ['gpt-4o', 'gpt-4o-mini', 'claude-3-5-sonnet', 'o1-preview-9', 'model-8'];
  for (let i = 0; i < 64; i++) {
    out.push({
      user: { id: `user-${i}`, groups: [`group-${i % 20}`, ...(i % 7 === 0 ? ['sensitive-6'] : [])] },
      host: i % 5 === 0 ? 'api.anthropic.com' : 'api.openai.com',
      provider: i % 5 === 0 ? 'anthropic' : 'openai',
      model: models[i % models.length]!,
      tools: i % 3 === 0 ? ['get_weather', 'lookup_ticket', `exec_${i}`] : [],
      requestBytes: 8_000 + i,
    });
  }
  return out;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function measure(
  n: number,
  run: (input: PolicyInput) => unknown,
  requests: PolicyInput[],
): { p50: number; p99: number; mean: number } {
  const samples = new Float64Array(n);
  let sink = 0;
  for (let i = 0; i < Math.min(n, 20_000); i++)
    sink ^= run(requests[i % requests.length]!) === undefined ? 1 : 0;
  for (let i = 0; i < n; i++) {
    const input = requests[i % requests.length]!;
    const t = process.hrtime.bigint();
    const d = run(input);
    samples[i] = Number(process.hrtime.bigint() - t) / 1000;
    sink ^= d === undefined ? 1 : 0;
  }
  if (sink === 42) console.log('');
  samples.sort();
  let total = 0;
  for (const s of samples) total += s;
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), mean: total / n };
}

export function runPolicyBench(): void {
  const ruleCount = Number(process.env.BENCH_POLICY_RULES ?? 200);
  const n = Number(process.env.BENCH_POLICY_REQUESTS ?? 200_000);
  const document = policyDocumentSchema.parse(policyWith(ruleCount));
  const compiled = compilePolicy(document);
  const requests = inputs();
  const blocked = requests.filter((r) => evaluatePolicy(compiled, r).decision === 'block').length;
  const current = measure(n, (input) => evaluatePolicy(compiled, input, { explain: false }), requests);
  const explained = measure(n, (input) => evaluatePolicy(compiled, input), requests);
  const alternative = measure(
    Math.max(1000, Math.floor(n / 50)),
    (input) => evaluatePolicy(compilePolicy(document), input),
    requests,
  );
  console.log(
    `\npolicy evaluation, ${ruleCount} rules, ${requests.length} distinct requests (${blocked} refused)`,
  );
  console.log('| variant | p50 | p99 | mean |');
  console.log('|---|---:|---:|---:|');
  for (const [name, r] of [
    ['compiled once, no explanation (the proxy)', current],
    ['compiled once, with explanation (policy explain)', explained],
    ['compiled per request (alternative)', alternative],
  ] as const) {
    console.log(`| ${name} | ${r.p50.toFixed(2)} µs | ${r.p99.toFixed(2)} µs | ${r.mean.toFixed(2)} µs |`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) runPolicyBench();
