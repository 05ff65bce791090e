/** The routing commands' handlers (see api/routing.ts). */
import { DeskFailure } from '../contract';
import type { routingCommands } from '../api/routing';
import type { DeskParts, HandlersFor } from '../commands';

const notYet = (): never => {
  throw new DeskFailure('unavailable', 'this part of the desk is being built');
};

export function routingHandlers(_parts: DeskParts): HandlersFor<typeof routingCommands> {
  return new Proxy({}, { get: () => notYet }) as HandlersFor<typeof routingCommands>;
}
