import { describe, expect, it } from 'vitest';
import { requestToolNames } from '../../core/policy/index.js';

describe('tool names in requests', () => {
  it.each([
    [
      'OpenAI chat function tools',
      { tools: [{ type: 'function', function: { name: 'get_weather' } }] },
      ['get_weather'],
    ],
    ['OpenAI legacy functions', { functions: [{ name: 'lookup' }] }, ['lookup']],
    [
      'OpenAI Responses tools, built-ins and MCP servers',
      {
        tools: [
          { type: 'function', name: 'f1' },
          { type: 'web_search_preview' },
          { type: 'mcp', server_label: 'jira' },
        ],
      },
      ['f1', 'web_search_preview', 'mcp:jira'],
    ],
    [
      'Anthropic tools and server tools',
      { tools: [{ name: 'bash', type: 'bash_20250124' }, { name: 'get_stock' }] },
      ['bash', 'get_stock'],
    ],
    [
      'Gemini function declarations and built-ins',
      { tools: [{ functionDeclarations: [{ name: 'a' }, { name: 'b' }] }, { googleSearch: {} }] },
      ['a', 'b', 'googleSearch'],
    ],
    [
      'MCP tools/call',
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'delete_repo', arguments: {} } },
      ['delete_repo'],
    ],
    [
      'a batch of MCP calls',
      [
        { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'a' } },
        { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      ],
      ['a'],
    ],
    ['no tools', { model: 'x', messages: [] }, []],
    ['odd shapes', { tools: 'x', functions: [1, null] }, []],
  ])('%s', (_name, body, expected) => {
    expect(requestToolNames(body)).toEqual(expected);
  });
});
