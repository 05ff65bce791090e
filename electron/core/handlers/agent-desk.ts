/** The agent-desk commands' handlers (see api/agent-desk.ts). */
import { DeskFailure } from '../contract';
import type { agentDeskCommands } from '../api/agent-desk';
import type { DeskParts, HandlersFor } from '../commands';

const notYet = (): never => {
  throw new DeskFailure('unavailable', 'this part of the desk is being built');
};

export function agentDeskHandlers(_parts: DeskParts): HandlersFor<typeof agentDeskCommands> {
  return new Proxy({}, { get: () => notYet }) as HandlersFor<typeof agentDeskCommands>;
}
