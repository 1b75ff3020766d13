/**
 * electron-builder.yml as electron-builder itself reads and validates it (its JSON schema and deprecation
 * checks; building installers needs Electron's binary, which these machines cannot download), plus what the
 * config must say for the product: every platform's target, the hardened runtime, the CLI inside the app.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DebugLogger } from 'builder-util';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('electron-builder.yml', () => {
  it('passes electron-builder validation', async () => {
    const config = await getConfig(ROOT, 'electron-builder.yml', null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('is rejected by the same validation when it has an unknown option (the check can fail)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lg-builder-'));
    try {
      await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0' }));
      const broken = (await readFile(path.join(ROOT, 'electron-builder.yml'), 'utf8')).replace(
        'hardenedRuntime:',
        'hardnedRuntime:',
      );
      await writeFile(path.join(dir, 'electron-builder.yml'), broken);
      const config = await getConfig(dir, 'electron-builder.yml', null);
      await expect(validateConfiguration(config, new DebugLogger(false))).rejects.toThrow(/hardnedRuntime/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('targets dmg with the hardened runtime, nsis, AppImage and deb, and ships the CLI', async () => {
    const config = await getConfig(ROOT, 'electron-builder.yml', null);
    expect(config.mac).toMatchObject({ target: 'dmg', hardenedRuntime: true });
    expect(config.win).toMatchObject({ target: 'nsis' });
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.extraMetadata).toMatchObject({ main: 'dist/desktop/main.cjs' });
    for (const file of [
      config.mac?.entitlements as string,
      'desktop/build/llmgate',
      config.deb?.afterInstall as string,
      config.deb?.afterRemove as string,
    ]) {
      expect(existsSync(path.join(ROOT, file)), file).toBe(true);
    }
    // electron-builder normalises `files` into filter sets.
    expect(JSON.stringify(config.files)).toMatch(/"dist\/\*\*".*"bin\/\*\*"/);
  });
});
