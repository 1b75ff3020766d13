export {
  configSchema,
  configJsonSchema,
  EMBEDDED_CATEGORY_ACTIONS,
  type Config,
  type ConfigInput,
} from './schema.js';
export { loadConfig, parseConfig } from './load.js';
export { resolveHome, statePaths, type StatePaths } from './paths.js';
export { detectorOptionsFromConfig } from './detector.js';
