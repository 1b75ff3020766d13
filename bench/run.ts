/** `npm run bench`: every benchmark, in one run. */
import { runMintBench } from './ca/mint.js';
import { runRealisticDetectorBench } from './detect/realistic.js';
import { runPolicyBench } from './policy/evaluate.js';
import { runLatencyBench } from './proxy/latency.js';

await runLatencyBench();
await runMintBench();
runRealisticDetectorBench();
runPolicyBench();
