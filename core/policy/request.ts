/**
 * Tool names in a request body, for the tool policy. One function for every supported format, since the
 * shapes do not collide: OpenAI chat (`tools[].function.name`, legacy `functions[].name`), OpenAI
 * Responses (`tools[].name`, built-ins by `type`, remote MCP servers as `mcp:<server_label>`), Anthropic
 * (`tools[].name`, server tools included), Gemini (`tools[].functionDeclarations[].name`, built-ins such
 * as `googleSearch` by key), Ollama (as OpenAI chat), and MCP JSON-RPC `tools/call` (`params.name`,
 * single or batched).
 */
type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function toolEntry(tool: unknown, out: string[]): void {
  if (!isObject(tool)) return;
  const fn = tool.function;
  const fnName = isObject(fn) ? str(fn.name) : undefined;
  if (fnName !== undefined) return void out.push(fnName);
  const type = str(tool.type);
  if (type === 'mcp') return void out.push(`mcp:${str(tool.server_label) ?? 'unnamed'}`);
  const name = str(tool.name);
  if (name !== undefined) return void out.push(name);
  const declarations = tool.functionDeclarations ?? tool.function_declarations;
  if (Array.isArray(declarations)) {
    for (const d of declarations) {
      const n = isObject(d) ? str(d.name) : undefined;
      if (n !== undefined) out.push(n);
    }
    return;
  }
  if (type !== undefined) return void out.push(type);
  // Gemini built-ins are objects with one key: `{ "googleSearch": {} }`, `{ "codeExecution": {} }`.
  for (const key of Object.keys(tool)) out.push(key);
}

function mcpCall(message: unknown, out: string[]): void {
  if (!isObject(message) || message.method !== 'tools/call' || !isObject(message.params)) return;
  out.push(str(message.params.name) ?? '');
}

/** Tool names declared or called in a parsed request body; `[]` when it has none. Never throws. */
export function requestToolNames(body: unknown): string[] {
  const out: string[] = [];
  if (Array.isArray(body)) {
    for (const message of body) mcpCall(message, out);
    return out;
  }
  if (!isObject(body)) return out;
  mcpCall(body, out);
  if (Array.isArray(body.tools)) for (const tool of body.tools) toolEntry(tool, out);
  if (Array.isArray(body.functions)) {
    for (const fn of body.functions) {
      const n = isObject(fn) ? str(fn.name) : undefined;
      if (n !== undefined) out.push(n);
    }
  }
  return [...new Set(out)];
}

/** Whether the body is an MCP JSON-RPC message (or batch), so the caller can treat the host as an MCP server. */
export function isMcpMessage(body: unknown): boolean {
  const first = Array.isArray(body) ? (body[0] as unknown) : body;
  return isObject(first) && first.jsonrpc === '2.0' && typeof first.method === 'string';
}
