/**
 * The smallest Reflect metadata API that `@peculiar/x509` needs.
 *
 * `@peculiar/x509` v2 resolves its algorithm providers through `tsyringe`, which refuses to load unless
 * `Reflect.getMetadata` exists (the x509 README: "Reflect Polyfill Required"). No polyfill package
 * (`reflect-metadata`, `@abraham/reflection`) is a dependency of llmgate, so this module installs the
 * five functions tsyringe and tslib's `__metadata` call, and only when they are missing: a real polyfill
 * loaded first wins, and this module then does nothing. Metadata lives in a WeakMap per target and
 * property; lookups walk the prototype chain like `reflect-metadata` does.
 *
 * It must be evaluated before `@peculiar/x509`; `./x509.ts` imports it first for that reason.
 */

type MetadataKey = unknown;
type PropertyKeyOrNone = string | symbol | undefined;

interface ReflectMetadataApi {
  defineMetadata(key: MetadataKey, value: unknown, target: object, property?: PropertyKeyOrNone): void;
  getOwnMetadata(key: MetadataKey, target: object, property?: PropertyKeyOrNone): unknown;
  getMetadata(key: MetadataKey, target: object, property?: PropertyKeyOrNone): unknown;
  hasOwnMetadata(key: MetadataKey, target: object, property?: PropertyKeyOrNone): boolean;
  hasMetadata(key: MetadataKey, target: object, property?: PropertyKeyOrNone): boolean;
  metadata(key: MetadataKey, value: unknown): (target: object, property?: PropertyKeyOrNone) => void;
}

const reflect = Reflect as unknown as Partial<ReflectMetadataApi>;

if (typeof reflect.getMetadata !== 'function') {
  const store = new WeakMap<object, Map<PropertyKeyOrNone, Map<MetadataKey, unknown>>>();

  const table = (target: object, property: PropertyKeyOrNone, create: boolean) => {
    let byProperty = store.get(target);
    if (byProperty === undefined) {
      if (!create) return undefined;
      byProperty = new Map();
      store.set(target, byProperty);
    }
    let entries = byProperty.get(property);
    if (entries === undefined && create) {
      entries = new Map();
      byProperty.set(property, entries);
    }
    return entries;
  };

  const api: ReflectMetadataApi = {
    defineMetadata(key, value, target, property) {
      table(target, property, true)?.set(key, value);
    },
    getOwnMetadata(key, target, property) {
      return table(target, property, false)?.get(key);
    },
    hasOwnMetadata(key, target, property) {
      return table(target, property, false)?.has(key) ?? false;
    },
    getMetadata(key, target, property) {
      for (let t: object | null = target; t !== null; t = Object.getPrototypeOf(t) as object | null) {
        const entries = table(t, property, false);
        if (entries?.has(key) === true) return entries.get(key);
      }
      return undefined;
    },
    hasMetadata(key, target, property) {
      for (let t: object | null = target; t !== null; t = Object.getPrototypeOf(t) as object | null) {
        if (table(t, property, false)?.has(key) === true) return true;
      }
      return false;
    },
    metadata(key, value) {
      return (target, property) => api.defineMetadata(key, value, target, property);
    },
  };

  for (const [name, fn] of Object.entries(api)) {
    Object.defineProperty(Reflect, name, { value: fn, writable: true, configurable: true, enumerable: false });
  }
}

export {};
