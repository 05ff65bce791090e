/** The rules commands' handlers (see api/rules.ts). */
import { DeskFailure } from '../contract';
import type { rulesCommands } from '../api/rules';
import type { DeskParts, HandlersFor } from '../commands';

const notYet = (): never => {
  throw new DeskFailure('unavailable', 'this part of the desk is being built');
};

export function rulesHandlers(_parts: DeskParts): HandlersFor<typeof rulesCommands> {
  return new Proxy({}, { get: () => notYet }) as HandlersFor<typeof rulesCommands>;
}
