/** `npm run bench`: every benchmark, in one run. */
import { runLatencyBench } from './proxy/latency.js';

await runLatencyBench();
