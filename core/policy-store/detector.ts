import { detectorOptionsFromConfig, type Config } from '../config/index.js';
import { builtinRules, createDetector, type Detector } from '../detect/index.js';
import { mergeDetect, type RefusedSetting } from '../policy/index.js';
import type { PolicySnapshot } from './store.js';

type Category = 'secret' | 'pii' | 'custom';

const BUILTIN_CATEGORIES: ReadonlyMap<string, Category> = new Map(
  builtinRules.map((r) => [r.id, r.category]),
);

export interface EffectiveDetector {
  readonly detector: Detector;
  /** Local settings that would have loosened the org policy, not applied. */
  readonly refused: readonly RefusedSetting[];
  /** The pseudonym settings in force (local may only tighten the org's). */
  readonly pseudonyms: Config['detect']['pseudonyms'];
}

/**
 * The detector the daemon and `policy explain` use: config's detect settings merged with the policy's
 * (org policy: local may only tighten; local policy file: the file wins where both speak).
 */
export async function effectiveDetector(
  config: Config,
  configDir: string,
  snapshot: Pick<PolicySnapshot, 'policy' | 'source'>,
): Promise<EffectiveDetector> {
  const policyDetect = snapshot.policy?.document.detect;
  const categories = new Map(BUILTIN_CATEGORIES);
  for (const d of [...(policyDetect?.dictionaries ?? []), ...(policyDetect?.patterns ?? [])])
    categories.set(d.id, d.category);
  for (const d of [...config.detect.dictionaries, ...config.detect.patterns])
    if (!categories.has(d.id)) categories.set(d.id, d.category);
  const merged = mergeDetect(policyDetect, config.detect, snapshot.source === 'org' ? 'org' : 'local', (id) =>
    categories.get(id),
  );
  const options = await detectorOptionsFromConfig({ ...config, detect: merged.detect }, configDir);
  return { detector: createDetector(options), refused: merged.refused, pseudonyms: merged.detect.pseudonyms };
}
