#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm ci` (the `prepare` script).
import('../dist/cli/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write(
      'llmgate: not built yet. Run `npm ci` (or `npm run build`) in the checkout first.\n',
    );
    process.exit(2);
  }
  throw err;
});
