/**
 * Builds the tray app into dist/desktop/: main.cjs and preload.cjs (Node, CommonJS, `electron` left to the
 * runtime; a sandboxed preload must be one CommonJS file), renderer/ (a browser bundle plus its HTML and
 * CSS) and assets/. `npm run build` runs it after tsc; Electron itself is not needed to build.
 */
import { cp, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, 'dist', 'desktop');
const common = { bundle: true, logLevel: 'warning', sourcemap: true, absWorkingDir: root };

await mkdir(path.join(out, 'renderer'), { recursive: true });
await Promise.all([
  build({
    ...common,
    entryPoints: ['desktop/main/main.ts'],
    outfile: path.join(out, 'main.cjs'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Native and runtime-provided modules stay outside the bundle.
    external: ['electron', 'better-sqlite3'],
  }),
  build({
    ...common,
    entryPoints: ['desktop/preload/preload.ts'],
    outfile: path.join(out, 'preload.cjs'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
  }),
  build({
    ...common,
    entryPoints: ['desktop/renderer/renderer.ts'],
    outfile: path.join(out, 'renderer', 'renderer.js'),
    platform: 'browser',
    format: 'esm',
    target: 'chrome120',
  }),
  cp(path.join(root, 'desktop', 'renderer', 'index.html'), path.join(out, 'renderer', 'index.html')),
  cp(path.join(root, 'desktop', 'renderer', 'style.css'), path.join(out, 'renderer', 'style.css')),
  cp(path.join(root, 'desktop', 'assets'), path.join(out, 'assets'), { recursive: true }),
]);
