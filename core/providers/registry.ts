/**
 * Which hosts are LLM providers, and which API each of their paths speaks. Matching is a Map lookup on the
 * host (then a suffix check for Azure), then a Map lookup on the path (a regex only for Gemini model routes
 * and Azure deployment routes). `ProviderMatch` objects are built once and shared.
 */
import { adapterFor } from './adapters/index.js';
import { decodeSegment, pathOnly } from './adapters/shared.js';
import type { ApiKind, ProviderId, ProviderMatch } from './types.js';

const matches = new Map<string, ProviderMatch>();

/** The shared, frozen match for a provider and API kind. */
function matchOf(provider: ProviderId, api: ApiKind): ProviderMatch {
  const key = `${provider} ${api}`;
  let found = matches.get(key);
  if (found === undefined) {
    found = Object.freeze({ provider, api, adapter: adapterFor(api) });
    matches.set(key, found);
  }
  return found;
}

/** Path tails of the OpenAI API under a version prefix, most specific first. */
const OPENAI_TAILS: readonly (readonly [string, ApiKind])[] = [
  ['/chat/completions', 'openai-chat'],
  ['/responses', 'openai-responses'],
  ['/embeddings', 'openai-embeddings'],
  ['/completions', 'openai-completions'],
];

interface Routes {
  readonly provider: ProviderId;
  /** Normalised path (no query, no trailing slash) → match. */
  readonly exact: ReadonlyMap<string, ProviderMatch>;
  /** Paths with a variable segment (Gemini models, Azure deployments). */
  readonly dynamic?: (path: string) => ProviderMatch | undefined;
  /** A path the provider serves that no adapter knows: every string is scanned. */
  readonly fallback: ProviderMatch;
}

interface RouteSpec {
  /** Prefixes under which the OpenAI tails (`/chat/completions`, `/responses`, …) are served. */
  readonly openaiPrefixes?: readonly string[];
  /** Further exact paths. */
  readonly paths?: Readonly<Record<string, ApiKind>>;
  readonly dynamic?: (provider: ProviderId) => (path: string) => ProviderMatch | undefined;
}

function routes(provider: ProviderId, spec: RouteSpec): Routes {
  const exact = new Map<string, ProviderMatch>();
  for (const prefix of spec.openaiPrefixes ?? []) {
    for (const [tail, api] of OPENAI_TAILS) exact.set(prefix + tail, matchOf(provider, api));
  }
  for (const [path, api] of Object.entries(spec.paths ?? {})) exact.set(path, matchOf(provider, api));
  const out: Routes = { provider, exact, fallback: matchOf(provider, 'generic-json') };
  return spec.dynamic === undefined ? out : { ...out, dynamic: spec.dynamic(provider) };
}

const GEMINI_ROUTE = /^\/v1(?:alpha|beta)?\/(?:models|tunedModels)\/[^/:]+:([A-Za-z]+)$/;
const GEMINI_METHODS: Readonly<Record<string, ApiKind>> = {
  generateContent: 'gemini-generate',
  streamGenerateContent: 'gemini-generate',
  countTokens: 'gemini-generate',
  embedContent: 'gemini-embed',
  batchEmbedContents: 'gemini-embed',
};

function geminiDynamic(provider: ProviderId): (path: string) => ProviderMatch | undefined {
  return (path) => {
    const method = GEMINI_ROUTE.exec(path)?.[1];
    if (method === undefined || !Object.hasOwn(GEMINI_METHODS, method)) return undefined;
    const api = GEMINI_METHODS[method];
    return api === undefined ? undefined : matchOf(provider, api);
  };
}

const AZURE_DEPLOYMENTS = '/openai/deployments/';
const AZURE_DEPLOYMENT_TAILS: ReadonlyMap<string, ApiKind> = new Map([
  ['/chat/completions', 'openai-chat'],
  ['/completions', 'openai-completions'],
  ['/embeddings', 'openai-embeddings'],
]);

function azureDynamic(provider: ProviderId): (path: string) => ProviderMatch | undefined {
  return (path) => {
    if (!path.startsWith(AZURE_DEPLOYMENTS)) return undefined;
    const slash = path.indexOf('/', AZURE_DEPLOYMENTS.length);
    if (slash <= AZURE_DEPLOYMENTS.length) return undefined;
    const api = AZURE_DEPLOYMENT_TAILS.get(path.slice(slash));
    return api === undefined ? undefined : matchOf(provider, api);
  };
}

const OLLAMA = routes('ollama', {
  openaiPrefixes: ['/v1'],
  paths: {
    '/api/chat': 'ollama-chat',
    '/api/generate': 'ollama-generate',
    '/api/embed': 'ollama-embed',
    '/api/embeddings': 'ollama-embed',
    '/v1/messages': 'anthropic-messages',
  },
});

const AZURE = routes('azure-openai', {
  openaiPrefixes: ['/openai/v1'],
  paths: {
    '/openai/responses': 'openai-responses',
    '/models/chat/completions': 'openai-chat',
    '/models/embeddings': 'openai-embeddings',
  },
  dynamic: azureDynamic,
});

/** Exact host → routes. */
const HOST_ROUTES: ReadonlyMap<string, Routes> = new Map([
  ['api.openai.com', routes('openai', { openaiPrefixes: ['/v1'] })],
  // OpenAI's data-residency endpoints speak the same API.
  ['us.api.openai.com', routes('openai', { openaiPrefixes: ['/v1'] })],
  ['eu.api.openai.com', routes('openai', { openaiPrefixes: ['/v1'] })],
  [
    'api.anthropic.com',
    routes('anthropic', {
      paths: { '/v1/messages': 'anthropic-messages', '/v1/messages/count_tokens': 'anthropic-messages' },
    }),
  ],
  [
    'generativelanguage.googleapis.com',
    routes('gemini', { openaiPrefixes: ['/v1beta/openai'], dynamic: geminiDynamic }),
  ],
  [
    'api.mistral.ai',
    routes('mistral', {
      openaiPrefixes: ['/v1'],
      paths: { '/v1/fim/completions': 'openai-completions', '/v1/agents/completions': 'openai-chat' },
    }),
  ],
  // Mistral's Codestral endpoint (its own keys), same wire format as api.mistral.ai.
  [
    'codestral.mistral.ai',
    routes('mistral', {
      openaiPrefixes: ['/v1'],
      paths: { '/v1/fim/completions': 'openai-completions' },
    }),
  ],
  ['api.groq.com', routes('groq', { openaiPrefixes: ['/openai/v1'] })],
  [
    'api.deepseek.com',
    routes('deepseek', {
      openaiPrefixes: ['', '/v1', '/beta'],
      paths: { '/anthropic/v1/messages': 'anthropic-messages' },
    }),
  ],
  ['api.x.ai', routes('xai', { openaiPrefixes: ['/v1'], paths: { '/v1/messages': 'anthropic-messages' } })],
  ['openrouter.ai', routes('openrouter', { openaiPrefixes: ['/api/v1'] })],
  ['api.together.xyz', routes('together', { openaiPrefixes: ['/v1'] })],
  ['api.fireworks.ai', routes('fireworks', { openaiPrefixes: ['/inference/v1'] })],
  ['api.perplexity.ai', routes('perplexity', { openaiPrefixes: ['', '/v1'] })],
  ['ollama.com', OLLAMA],
]);

/** `host:port` → routes, for providers that are only a provider on one port (a local Ollama). */
const LOCAL_ROUTES: ReadonlyMap<string, Routes> = new Map([
  ['127.0.0.1:11434', OLLAMA],
  ['localhost:11434', OLLAMA],
  ['[::1]:11434', OLLAMA],
]);

/** Host suffixes (with their leading dot) → routes: Azure OpenAI / Azure AI resources. */
const SUFFIX_ROUTES: readonly (readonly [string, Routes])[] = [
  ['.openai.azure.com', AZURE],
  ['.cognitiveservices.azure.com', AZURE],
  ['.services.ai.azure.com', AZURE],
];

/** Exact provider host names (lowercase, no port) whose TLS llmgate terminates. */
export const PROVIDER_HOSTS: readonly string[] = Object.freeze([...HOST_ROUTES.keys()]);

/** Host suffixes (leading dot included) that make a host a provider host: Azure resources. */
export const PROVIDER_HOST_SUFFIXES: readonly string[] = Object.freeze(
  SUFFIX_ROUTES.map(([suffix]) => suffix),
);

/** `host:port` endpoints that are providers only on that port: the local Ollama default (plain HTTP). */
export const LOCAL_PROVIDER_ENDPOINTS: readonly string[] = Object.freeze([...LOCAL_ROUTES.keys()]);

const PORT_DIGITS = /^\d{1,5}$/;
const NEEDS_NORMALISING = /[A-Z:[]|\.$/;

interface HostPort {
  host: string;
  port: number | undefined;
}

/** Lowercases, drops a trailing dot, splits off `:port`, brackets a bare IPv6 address. */
function normaliseHost(raw: string, port: number | undefined): HostPort {
  let host = raw;
  let parsedPort: number | undefined;
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    if (close > 0) {
      const rest = host.slice(close + 1);
      host = host.slice(0, close + 1);
      if (rest.startsWith(':') && PORT_DIGITS.test(rest.slice(1))) parsedPort = Number(rest.slice(1));
    }
  } else {
    const colon = host.indexOf(':');
    if (colon !== -1) {
      if (host.indexOf(':', colon + 1) !== -1) {
        host = `[${host}]`;
      } else {
        const digits = host.slice(colon + 1);
        if (PORT_DIGITS.test(digits)) parsedPort = Number(digits);
        host = host.slice(0, colon);
      }
    }
  }
  host = host.toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  return { host, port: port ?? parsedPort };
}

function routesForNormalised(host: string, port: number | undefined): Routes | undefined {
  const exact = HOST_ROUTES.get(host);
  if (exact !== undefined) return exact;
  if (port !== undefined) {
    const local = LOCAL_ROUTES.get(`${host}:${port}`);
    if (local !== undefined) return local;
  }
  for (const [suffix, suffixRoutes] of SUFFIX_ROUTES) {
    if (host.length > suffix.length && host.endsWith(suffix)) return suffixRoutes;
  }
  return undefined;
}

function routesFor(raw: string, port: number | undefined): Routes | undefined {
  if (!NEEDS_NORMALISING.test(raw)) return routesForNormalised(raw, port);
  const normal = normaliseHost(raw, port);
  return routesForNormalised(normal.host, normal.port);
}

/**
 * Whether llmgate intercepts `host`. `host` is a host name (case and a trailing dot are forgiven) and may
 * carry `:port` (`localhost:11434`, `[::1]:11434`); `port`, when given, wins over one in `host`. Exact
 * hosts and Azure suffixes match on any port; loopback hosts match only on Ollama's port 11434.
 */
export function isProviderHost(host: string, port?: number): boolean {
  return routesFor(host, port) !== undefined;
}

/** Path without query or fragment, percent-decoded, duplicate and trailing slashes dropped. */
function normalisePath(url: string): string {
  let path = pathOnly(url);
  if (path.includes('%')) path = decodeSegment(path);
  if (path.includes('//')) path = path.replace(/\/{2,}/g, '/');
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return path;
}

function matchRoutes(found: Routes, path: string): ProviderMatch {
  return found.exact.get(path) ?? found.dynamic?.(path) ?? found.fallback;
}

/** An admin-routed host: OpenAI-compatible paths under any prefix, else every string scanned. */
function matchCompatible(path: string): ProviderMatch {
  for (const [tail, api] of OPENAI_TAILS) {
    if (path.endsWith(tail)) return matchOf('openai', api);
  }
  return matchOf('openai', 'generic-json');
}

/**
 * The provider and API of a request. `host` as for `isProviderHost` (may carry `:port`); `url` is path +
 * query. A known provider host with a path no adapter knows gives `generic-json`. A host in `extraHosts`
 * (admin-routed hosts from config; lowercase, with or without `:port`) is treated as OpenAI-compatible:
 * provider `openai`, API by the path's tail under any prefix, else `generic-json`. Anything else:
 * `undefined` (not a provider; tunnel untouched).
 */
export function matchProvider(
  host: string,
  url: string,
  extraHosts?: ReadonlySet<string>,
): ProviderMatch | undefined {
  const found = routesFor(host, undefined);
  if (found !== undefined) return matchRoutes(found, normalisePath(url));
  if (extraHosts === undefined || extraHosts.size === 0) return undefined;
  if (extraHosts.has(host)) return matchCompatible(normalisePath(url));
  const normal = normaliseHost(host, undefined);
  if (
    extraHosts.has(normal.host) ||
    (normal.port !== undefined && extraHosts.has(`${normal.host}:${normal.port}`))
  ) {
    return matchCompatible(normalisePath(url));
  }
  return undefined;
}

/** Where a base-URL-mode prefix sends requests. */
export interface BaseUrlTarget {
  readonly host: string;
  readonly port: number;
  readonly protocol: 'https:' | 'http:';
  readonly provider: ProviderId;
}

/** A base-URL-mode request resolved to its upstream: `path` is what follows the prefix, query kept. */
export interface BaseUrlResolution extends BaseUrlTarget {
  readonly path: string;
}

function https(host: string, provider: ProviderId): BaseUrlTarget {
  return Object.freeze({ host, port: 443, protocol: 'https:', provider });
}

/**
 * Base-URL mode (`OPENAI_BASE_URL=http://127.0.0.1:<port>/openai/v1`): the first path segment names the
 * upstream. Azure has no entry (its hosts are per resource; route them with `upstreams`).
 */
export const BASE_URL_PREFIXES: ReadonlyMap<string, BaseUrlTarget> = new Map([
  ['openai', https('api.openai.com', 'openai')],
  ['anthropic', https('api.anthropic.com', 'anthropic')],
  ['gemini', https('generativelanguage.googleapis.com', 'gemini')],
  ['mistral', https('api.mistral.ai', 'mistral')],
  ['groq', https('api.groq.com', 'groq')],
  ['deepseek', https('api.deepseek.com', 'deepseek')],
  ['xai', https('api.x.ai', 'xai')],
  ['openrouter', https('openrouter.ai', 'openrouter')],
  ['together', https('api.together.xyz', 'together')],
  ['fireworks', https('api.fireworks.ai', 'fireworks')],
  ['perplexity', https('api.perplexity.ai', 'perplexity')],
  [
    'ollama',
    Object.freeze({ host: '127.0.0.1', port: 11434, protocol: 'http:', provider: 'ollama' } as const),
  ],
]);

/**
 * Resolves a base-URL-mode request path: `/openai/v1/chat/completions?x=1` → `api.openai.com:443`,
 * path `/v1/chat/completions?x=1`. `undefined` when the first segment is no known prefix.
 */
export function resolveBaseUrlPath(path: string): BaseUrlResolution | undefined {
  if (!path.startsWith('/')) return undefined;
  let end = 1;
  while (end < path.length) {
    const c = path.charCodeAt(end);
    if (c === 0x2f /* / */ || c === 0x3f /* ? */ || c === 0x23 /* # */) break;
    end++;
  }
  const target = BASE_URL_PREFIXES.get(path.slice(1, end));
  if (target === undefined) return undefined;
  const rest = path.slice(end);
  return {
    host: target.host,
    port: target.port,
    protocol: target.protocol,
    provider: target.provider,
    path: rest.startsWith('/') ? rest : `/${rest}`,
  };
}
