/**
 * Actions the engine does not need to know about. To the matching engine a `pseudonymize` finding is a
 * `redact` finding (found, ranked and resolved the same way); only what replaces it differs, and that is
 * the pipeline's business. So the engine runs with `pseudonymize` mapped to `redact`, and the findings of
 * rules whose configured action is `pseudonymize` are relabelled on the way out.
 */
import { CodedTypeError } from '../errors.js';
import { createDetector as createEngine } from './engine.js';
import { builtinRules } from './rules/index.js';
import type { Action, Category, Detector, DetectorOptions, Finding } from './types.js';

type EngineAction = Exclude<Action, 'pseudonymize'>;

function engineAction(action: Action): EngineAction {
  return action === 'pseudonymize' ? 'redact' : action;
}

/**
 * Builds a detector (see engine.ts for matching). Actions: `ruleActions[id]` over the rule's
 * `defaultAction` over `categoryActions[category]` over `redact`; options may say `pseudonymize` anywhere.
 */
export function createDetector(options: DetectorOptions = {}): Detector {
  if (typeof options !== 'object' || options === null) throw new CodedTypeError('options must be an object');
  const categoryActions = options.categoryActions ?? {};
  const ruleActions = options.ruleActions ?? {};
  // Precedence as in the engine: the rule's action from options, then its own default, then its category's.
  const ruleDefaults = new Set<string>();
  for (const rule of options.rules ?? builtinRules)
    if (rule.defaultAction !== undefined) ruleDefaults.add(rule.id);
  const pseudonymized = (rule: string, category: Category): boolean =>
    Object.hasOwn(ruleActions, rule)
      ? ruleActions[rule] === 'pseudonymize'
      : !ruleDefaults.has(rule) && categoryActions[category] === 'pseudonymize';
  const any =
    Object.values(categoryActions).includes('pseudonymize') ||
    Object.values(ruleActions).includes('pseudonymize');
  if (!any) return createEngine(options);

  const engineCategories: Partial<Record<Category, EngineAction>> = {};
  for (const [category, action] of Object.entries(categoryActions) as [Category, Action][]) {
    engineCategories[category] = engineAction(action);
  }
  const engineRules: Record<string, EngineAction> = {};
  for (const [id, action] of Object.entries(ruleActions)) engineRules[id] = engineAction(action);
  const engine = createEngine({ ...options, categoryActions: engineCategories, ruleActions: engineRules });
  return {
    scan(text: string): Finding[] {
      const findings = engine.scan(text);
      for (let i = 0; i < findings.length; i++) {
        const f = findings[i]!;
        if (f.action === 'redact' && pseudonymized(f.rule, f.category))
          findings[i] = { ...f, action: 'pseudonymize' };
      }
      return findings;
    },
  };
}
