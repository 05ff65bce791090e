// Faults on demand: which platform and endpoint, how many times.
import type { FaultKind, FaultSpec, SandboxPlatform } from './types';

export interface ActiveFault extends FaultSpec {
  id: number;
  /** Requests it will still hit (Infinity: until cleared). */
  remaining: number;
}

const KINDS: readonly FaultKind[] = ['rate-limit', 'server-error', 'html-503', 'drop-connection', 'stream-disconnect', 'expired-token', 'usage-cap', 'forbidden', 'graph-error'];

/** Checks a fault description (from code or from the control endpoint); throws with a clear message. */
export function validateFault(input: unknown): FaultSpec {
  if (typeof input !== 'object' || input === null) throw new Error('A fault is an object: {kind, platform?, path?, times?, resetInSeconds?}.');
  const f = input as Record<string, unknown>;
  if (typeof f.kind !== 'string' || !KINDS.includes(f.kind as FaultKind)) throw new Error(`fault.kind must be one of ${KINDS.join(', ')}.`);
  if (f.platform !== undefined && f.platform !== 'x' && f.platform !== 'facebook') throw new Error("fault.platform must be 'x' or 'facebook'.");
  if (f.path !== undefined && (typeof f.path !== 'string' || f.path === '')) throw new Error('fault.path must be a non-empty string.');
  if (f.times !== undefined && (typeof f.times !== 'number' || Number.isNaN(f.times))) throw new Error('fault.times must be a number.');
  if (f.resetInSeconds !== undefined && (typeof f.resetInSeconds !== 'number' || !(f.resetInSeconds >= 0))) throw new Error('fault.resetInSeconds must be a number >= 0.');
  if (f.status !== undefined && (typeof f.status !== 'number' || f.status < 400 || f.status > 599)) throw new Error('fault.status must be a 4xx or 5xx status.');
  if (f.graphCode !== undefined && (typeof f.graphCode !== 'number' || !Number.isInteger(f.graphCode))) throw new Error('fault.graphCode must be an integer.');
  if (f.graphSubcode !== undefined && (typeof f.graphSubcode !== 'number' || !Number.isInteger(f.graphSubcode))) throw new Error('fault.graphSubcode must be an integer.');
  if (f.when !== undefined && f.when !== 'mid-response' && f.when !== 'before-processing') throw new Error("fault.when must be 'mid-response' or 'before-processing'.");
  return f as unknown as FaultSpec;
}

export interface FaultTarget {
  platform: SandboxPlatform;
  method: string;
  path: string;
  template: string;
}

function matches(fault: ActiveFault, target: FaultTarget): boolean {
  if (fault.platform && fault.platform !== target.platform) return false;
  if (!fault.path) return true;
  let pattern = fault.path;
  const spaced = /^([A-Z]+)\s+(.+)$/.exec(pattern);
  if (spaced) {
    if (spaced[1] !== target.method) return false;
    pattern = spaced[2] as string;
  }
  return pattern === target.template || target.path.includes(pattern);
}

export class FaultRegistry {
  private faults: ActiveFault[] = [];
  private nextId = 1;
  private readonly listeners: Array<(fault: ActiveFault) => void> = [];

  inject(spec: FaultSpec): ActiveFault {
    const checked = validateFault(spec);
    const times = checked.times === undefined ? 1 : checked.times < 0 || checked.times === Infinity ? Infinity : Math.floor(checked.times);
    const fault: ActiveFault = { ...checked, id: this.nextId++, remaining: times };
    if (fault.remaining <= 0) return fault;
    this.faults.push(fault);
    for (const listener of this.listeners) listener(fault);
    return fault;
  }

  clear(): void {
    this.faults = [];
  }

  list(): ActiveFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** Called when a fault is injected (open streams react at once). */
  onInject(listener: (fault: ActiveFault) => void): void {
    this.listeners.push(listener);
  }

  /** The first fault of an accepted kind matching the request, used up by one. */
  take(target: FaultTarget, accept: (kind: FaultKind) => boolean): ActiveFault | null {
    for (const fault of this.faults) {
      if (fault.remaining <= 0 || !accept(fault.kind) || !matches(fault, target)) continue;
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
      return { ...fault };
    }
    return null;
  }

  /** Uses up one hit of a specific fault (for streams reacting to an injection). */
  consume(fault: ActiveFault, target: FaultTarget): boolean {
    const live = this.faults.find((f) => f.id === fault.id);
    if (!live || live.remaining <= 0 || !matches(live, target)) return false;
    live.remaining -= 1;
    if (live.remaining <= 0) this.faults = this.faults.filter((f) => f !== live);
    return true;
  }
}
