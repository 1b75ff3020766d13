/**
 * Local settings against the org policy: local config may tighten what the org decided (block what the
 * org redacts, add dictionaries and patterns) but never loosen it (allow what the org redacts, allowlist
 * values, redefine an org rule). A loosening setting is refused, named, and the org's value kept.
 */
import { EMBEDDED_CATEGORY_ACTIONS, type Config } from '../config/schema.js';
import type { Action, Category } from '../detect/index.js';

type Detect = Config['detect'];

/** A stand-in lets the value come back to this machine in answers, a placeholder does not: redact is stricter. */
const STRICTNESS: Readonly<Record<Action, number>> = { allow: 0, pseudonymize: 1, redact: 2, block: 3 };

/** A local setting that would have loosened the org policy, and so was not applied. */
export interface RefusedSetting {
  /** Config key path, e.g. `detect.actions.rules.aws-access-key-id`. */
  readonly key: string;
  readonly reason: string;
}

export interface MergedDetect {
  readonly detect: Detect;
  readonly refused: readonly RefusedSetting[];
}

function mergeAction(
  key: string,
  org: Action | undefined,
  local: Action | undefined,
  /** What applies when the org says nothing: the category's embedded default. */
  fallback: Action,
  refused: RefusedSetting[],
): Action | undefined {
  if (local === undefined) return org;
  const floor = org ?? fallback;
  if (STRICTNESS[local] >= STRICTNESS[floor]) return local;
  refused.push({
    key,
    reason: `local "${local}" is looser than the org policy's "${floor}"; the org's value applies`,
  });
  return org;
}

/**
 * The detector settings in force. `source` says whose policy `policyDetect` is: from the org, local settings
 * may only tighten it; from a local policy file (no org policy), the policy file wins where both speak and
 * config adds the rest.
 */
export function mergeDetect(
  policyDetect: Detect | undefined,
  localDetect: Detect,
  source: 'org' | 'local',
  /** The category of a rule id (built-in, dictionary or pattern), so a rule cannot undercut its category. */
  categoryOf: (ruleId: string) => Category | undefined = () => undefined,
): MergedDetect {
  if (policyDetect === undefined && source === 'local') return { detect: localDetect, refused: [] };
  const org: Detect = policyDetect ?? {
    dictionaries: [],
    patterns: [],
    allowlist: [],
    actions: { categories: {}, rules: {} },
    pseudonyms: localDetect.pseudonyms,
  };
  const refused: RefusedSetting[] = [];
  const orgIds = new Set([...org.dictionaries.map((d) => d.id), ...org.patterns.map((p) => p.id)]);
  const keep = <T extends { id: string }>(kind: string, items: readonly T[]): T[] =>
    items.filter((item, index) => {
      if (!orgIds.has(item.id)) return true;
      if (source === 'org') {
        refused.push({
          key: `detect.${kind}[${index}]`,
          reason: `"${item.id}" is defined by the org policy and cannot be redefined locally`,
        });
      }
      return false;
    });
  const dictionaries = [...org.dictionaries, ...keep('dictionaries', localDetect.dictionaries)];
  const patterns = [...org.patterns, ...keep('patterns', localDetect.patterns)];

  let allowlist = [...org.allowlist];
  if (source === 'org') {
    localDetect.allowlist.forEach((_, index) =>
      refused.push({
        key: `detect.allowlist[${index}]`,
        reason: 'an allowlist loosens detection, which only the org policy may do',
      }),
    );
  } else {
    allowlist = [...allowlist, ...localDetect.allowlist];
  }

  const categories: Detect['actions']['categories'] = {};
  for (const category of ['secret', 'pii', 'custom'] as const) {
    const orgAction = org.actions.categories[category];
    const localAction = localDetect.actions.categories[category];
    const action =
      source === 'org'
        ? mergeAction(
            `detect.actions.categories.${category}`,
            orgAction,
            localAction,
            EMBEDDED_CATEGORY_ACTIONS[category],
            refused,
          )
        : (orgAction ?? localAction);
    if (action !== undefined) categories[category] = action;
  }
  const rules: Record<string, Action> = { ...org.actions.rules };
  for (const [id, localAction] of Object.entries(localDetect.actions.rules)) {
    const category = categoryOf(id);
    const orgAction = Object.hasOwn(org.actions.rules, id)
      ? org.actions.rules[id]
      : category === undefined
        ? undefined
        : org.actions.categories[category];
    const action =
      source === 'org'
        ? mergeAction(
            `detect.actions.rules.${id}`,
            orgAction,
            localAction,
            category === undefined ? 'redact' : EMBEDDED_CATEGORY_ACTIONS[category],
            refused,
          )
        : Object.hasOwn(org.actions.rules, id)
          ? orgAction
          : localAction;
    if (action !== undefined && (action !== orgAction || Object.hasOwn(org.actions.rules, id)))
      rules[id] = action;
  }
  // Pseudonyms: local config may only tighten an org policy (no restored tool arguments, forget sooner).
  const pseudonyms =
    source === 'org'
      ? {
          restoreToolArguments:
            org.pseudonyms.restoreToolArguments && localDetect.pseudonyms.restoreToolArguments,
          idleMinutes: Math.min(org.pseudonyms.idleMinutes, localDetect.pseudonyms.idleMinutes),
          maxEntries: Math.min(org.pseudonyms.maxEntries, localDetect.pseudonyms.maxEntries),
        }
      : localDetect.pseudonyms;
  return {
    detect: { dictionaries, patterns, allowlist, actions: { categories, rules }, pseudonyms },
    refused,
  };
}
