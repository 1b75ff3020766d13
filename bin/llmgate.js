#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm ci` (the `prepare` script).
import('../dist/cli/main.js').catch((err) => {
  const notBuilt =
    err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli/main.js');
  process.stderr.write(
    notBuilt
      ? 'llmgate: not built yet. Run `npm ci` (or `npm run build`) in the checkout first.\n'
      : `llmgate: failed to start: ${err && err.message ? err.message : String(err)}\n`,
  );
  // 2 is "error" in the exit-code contract (1 means "found").
  process.exit(2);
});
