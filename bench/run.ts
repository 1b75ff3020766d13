/** `npm run bench`: every benchmark, in one run. */
import { runAuditWriteBench } from './audit/write.js';
import { runMintBench } from './ca/mint.js';
import { runRealisticDetectorBench } from './detect/realistic.js';
import { runProofBench } from './identity/proof.js';
import { runRestoreBench } from './pipeline/restore.js';
import { runPolicyBench } from './policy/evaluate.js';
import { runLatencyBench } from './proxy/latency.js';

await runLatencyBench();
await runMintBench();
runRealisticDetectorBench();
await runProofBench();
runRestoreBench();
await runAuditWriteBench();
runPolicyBench();
