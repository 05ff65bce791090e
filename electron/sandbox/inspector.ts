// Everything the desk did on the (simulated) network, in order.
import type { Clock, InspectorAction } from './types';

export class Inspector {
  private readonly log: InspectorAction[] = [];
  private readonly listeners: Array<(action: InspectorAction) => void> = [];

  constructor(private readonly clock: Clock) {}

  record(action: Omit<InspectorAction, 'seq' | 'at'>): InspectorAction {
    const full: InspectorAction = { seq: this.log.length + 1, at: this.clock.now(), ...action };
    this.log.push(full);
    for (const listener of this.listeners) listener(full);
    return full;
  }

  /** A copy of the actions, optionally only those after a sequence number. */
  actions(afterSeq = 0): InspectorAction[] {
    return this.log.slice(Math.max(0, afterSeq)).map((a) => ({ ...a }));
  }

  onAction(listener: (action: InspectorAction) => void): void {
    this.listeners.push(listener);
  }
}
