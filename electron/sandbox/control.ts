// The sandbox's own little API, on the same server under sandbox.local (also 127.0.0.1 and
// localhost): the inspector, what the customers posted, customers on demand, schedules and
// faults. JSON in, JSON out; requests from web pages (an Origin header) are refused.
import type { Customers, ScheduleHandle, ScheduleKind, ScheduleOptions, CustomerEvent } from './customers';
import { CUSTOMER_KINDS } from './customers';
import { validateFault, type FaultRegistry } from './faults';
import { json, parseJsonBody, isRecord, type PlainResponse, type SandboxRequest } from './http';
import type { Inspector } from './inspector';
import type { World } from './world';

export interface ControlContext {
  world: World;
  inspector: Inspector;
  faults: FaultRegistry;
  customers: Customers;
  describe(): Record<string, unknown>;
}

const ENDPOINTS = [
  'GET    /                 what this sandbox is: port, CA, credentials',
  'GET    /inspector?after=N everything the desk did (replies, DMs, likes, retweets, hides, private replies, Messenger sends)',
  'GET    /posted?after=N&limit=M what the simulated customers posted',
  'POST   /customers        {"kind":"x.mention","text"?,"customer"?,"at"?} one customer acts now',
  'POST   /schedule         {"kind":"steady|storm|backlog","count"?,"ratePerSecond"?,"durationMs"?,"spreadMs"?,"mix"?}',
  'GET    /schedule         running schedules',
  'DELETE /schedule         stop every schedule',
  'GET    /faults           faults waiting to happen',
  'POST   /faults           {"kind":"rate-limit|server-error|html-503|drop-connection|stream-disconnect|expired-token|usage-cap","platform"?,"path"?,"times"?,"resetInSeconds"?}',
  'DELETE /faults           clear all faults',
];

export class ControlApi {
  private readonly running = new Map<number, { kind: ScheduleKind; options: ScheduleOptions; made: number | null; handle: ScheduleHandle; startedAt: number }>();
  private nextSchedule = 1;

  constructor(private readonly ctx: ControlContext) {}

  handle(req: SandboxRequest): PlainResponse {
    if (req.headers.origin !== undefined) return json(403, { error: 'The sandbox control API does not answer web pages (Origin header present).' });
    const path = req.path.replace(/\/+$/, '') || '/';
    if (req.method === 'POST' && !String(req.headers['content-type'] ?? '').includes('application/json')) {
      return json(415, { error: 'Send JSON (content-type: application/json).' });
    }
    try {
      return this.route(req, path);
    } catch (error) {
      return json(400, { error: error instanceof Error ? error.message : String(error) });
    }
  }

  private body(req: SandboxRequest): Record<string, unknown> {
    let value: unknown;
    try {
      value = parseJsonBody(req.body);
    } catch {
      throw new Error('The body is not valid JSON.');
    }
    if (value === null) return {};
    if (!isRecord(value)) throw new Error('The body must be a JSON object.');
    return value;
  }

  private route(req: SandboxRequest, path: string): PlainResponse {
    const { world, inspector, faults, customers } = this.ctx;
    const key = `${req.method} ${path}`;
    switch (key) {
      case 'GET /':
        return json(200, { ...this.ctx.describe(), endpoints: ENDPOINTS });
      case 'GET /inspector': {
        const after = Number(req.query.get('after') ?? '0') || 0;
        return json(200, { actions: inspector.actions(after) });
      }
      case 'GET /posted': {
        const after = Math.max(0, Number(req.query.get('after') ?? '0') || 0);
        const limit = Math.min(10_000, Math.max(1, Number(req.query.get('limit') ?? '1000') || 1000));
        return json(200, { total: world.posted.length, posted: world.posted.slice(after, after + limit) });
      }
      case 'POST /customers': {
        const body = this.body(req);
        if (typeof body.kind !== 'string' || !CUSTOMER_KINDS.includes(body.kind as CustomerEvent['kind'])) throw new Error(`kind must be one of ${CUSTOMER_KINDS.join(', ')}.`);
        if (body.text !== undefined && typeof body.text !== 'string') throw new Error('text must be a string.');
        if (body.customer !== undefined && typeof body.customer !== 'string') throw new Error('customer must be a string.');
        if (body.at !== undefined && typeof body.at !== 'number') throw new Error('at must be epoch milliseconds.');
        const event: CustomerEvent = { kind: body.kind as CustomerEvent['kind'] };
        if (typeof body.text === 'string') event.text = body.text;
        if (typeof body.customer === 'string') event.customer = body.customer;
        if (typeof body.at === 'number') event.at = body.at;
        return json(201, customers.post(event));
      }
      case 'GET /schedule':
        return json(200, { schedules: [...this.running].map(([id, s]) => ({ id, kind: s.kind, options: s.options, made: s.made, startedAt: s.startedAt })) });
      case 'POST /schedule': {
        const body = this.body(req);
        const kind = body.kind;
        if (kind !== 'steady' && kind !== 'storm' && kind !== 'backlog') throw new Error('kind must be steady, storm or backlog.');
        const options: ScheduleOptions = {};
        for (const name of ['count', 'ratePerSecond', 'durationMs', 'spreadMs'] as const) {
          const v = body[name];
          if (v === undefined) continue;
          if (typeof v !== 'number' || !(v >= 0)) throw new Error(`${name} must be a number >= 0.`);
          options[name] = v;
        }
        if (body.mix !== undefined) {
          if (!isRecord(body.mix)) throw new Error('mix must be an object of kind -> weight.');
          options.mix = body.mix as ScheduleOptions['mix'];
        }
        const handle = customers.schedule(kind, options);
        const id = this.nextSchedule++;
        const entry = { kind: kind as ScheduleKind, options, made: null as number | null, handle, startedAt: world.now() };
        this.running.set(id, entry);
        void handle.done.then((n) => {
          entry.made = n;
          this.running.delete(id);
        });
        return json(201, { id, kind, options });
      }
      case 'DELETE /schedule': {
        const n = this.running.size;
        for (const s of this.running.values()) s.handle.stop();
        return json(200, { stopped: n });
      }
      case 'GET /faults':
        return json(200, { faults: faults.list().map((f) => ({ ...f, remaining: f.remaining === Infinity ? -1 : f.remaining })) });
      case 'POST /faults': {
        const body = this.body(req);
        const fault = faults.inject(validateFault(body));
        return json(201, { fault: { ...fault, remaining: fault.remaining === Infinity ? -1 : fault.remaining } });
      }
      case 'DELETE /faults':
        faults.clear();
        return json(200, { cleared: true });
      default:
        return json(404, { error: `No ${req.method} ${path} here.`, endpoints: ENDPOINTS });
    }
  }
}
