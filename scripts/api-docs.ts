/**
 * Renders docs/api.md from the contract, so the local API's documentation cannot drift from
 * what the desk accepts: `npm run docs:api` rewrites it, and a test fails when it is stale.
 */
import { z } from 'zod';
import { commandNames, commands, eventNames, events, transport } from '../electron/core/contract';

function schemaBlock(schema: z.ZodType, io: 'input' | 'output'): string {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return ['```json', JSON.stringify(json, null, 2), '```'].join('\n');
}

export function renderApiDocs(): string {
  const lines: string[] = [
    '# The desk\'s local API',
    '',
    '<!-- Generated from electron/core/contract.ts by `npm run docs:api`. Do not edit by hand: a test compares. -->',
    '',
    'Server mode (`npm run serve`) serves the console and this API on `127.0.0.1` only. The Electron app',
    'carries the same commands and events over IPC. Every request must:',
    '',
    `- name this server in \`Host\` (\`127.0.0.1:<port>\` or \`localhost:<port>\`), else **403**;`,
    '- if it has an `Origin`, be from this server (`http://127.0.0.1:<port>` or `http://localhost:<port>`), else **403**;',
    '- for `/api/...`, carry the per-launch token printed at start (`Desk ready at http://127.0.0.1:<port>/#token=<token>`)',
    '  as `Authorization: Bearer <token>`, else **401**.',
    '',
    '## Commands',
    '',
    `\`POST ${transport.httpCommandPrefix}<command>\` with \`Content-Type: application/json\` and the input as the body`,
    `(at most ${transport.maxRequestBytes.toLocaleString('en-US')} bytes). The answer is always one of:`,
    '',
    '```json',
    '{ "ok": true, "value": <output> }',
    '{ "ok": false, "error": { "code": "<code>", "message": "<what is wrong, for a person>" } }',
    '```',
    '',
    'HTTP status follows the code: `bad_input` 400, `unauthorized` 401, `forbidden` 403, `unknown_command` and',
    '`not_found` 404, `conflict` 409, `internal` 500, `unavailable` 503. Bad input changes nothing.',
    '',
    'Example:',
    '',
    '```sh',
    'curl -s -X POST http://127.0.0.1:4780/api/getStatus \\',
    '  -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" -d "{}"',
    '```',
    '',
  ];
  for (const name of commandNames) {
    const spec = commands[name];
    lines.push(`### \`${name}\``, '', spec.summary, '', 'Input:', '', schemaBlock(spec.input, 'input'), '', 'Output:', '', schemaBlock(spec.output, 'output'), '');
  }
  lines.push(
    '## Events',
    '',
    `A WebSocket at \`${transport.webSocketPath}\`. Browsers cannot set headers on a WebSocket, so the token travels`,
    `in the subprotocol list: offer \`${transport.webSocketProtocol}\` and \`${transport.webSocketTokenPrefix}<token>\`; the server answers`,
    `with \`${transport.webSocketProtocol}\`. The socket only sends. Each message is a batch, \`{ "events": [ { "type", "payload" }, ... ] }\`:`,
    'the desk gathers events for a few tens of milliseconds and sends them together.',
    '',
  );
  for (const name of eventNames) {
    lines.push(`### \`${name}\``, '', events[name].summary, '', schemaBlock(events[name].payload, 'output'), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
