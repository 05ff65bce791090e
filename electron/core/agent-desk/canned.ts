/**
 * Canned responses: short texts agents insert into a reply, with placeholders the console fills
 * ({contact_name}, {handle}, {agent_name}, {desk_name}). The schema (api/agent-desk.ts) checks
 * each one; the list as a whole is checked here: ids are unique, and a placeholder the console
 * cannot fill is refused when saved rather than sent to a customer as "{order}".
 */
import { CANNED_PLACEHOLDERS, type CannedResponse } from '../contract';

/** Until a team saves its own: the answers R9's good practice calls for. */
export const DEFAULT_CANNED_RESPONSES: readonly CannedResponse[] = [
  {
    id: 'move-to-private',
    title: 'Moving to private',
    text: 'Hi {contact_name}, thanks for getting in touch. We have sent you a private message so we can look at the details together.',
  },
  {
    id: 'private-follow-up',
    title: 'Private follow-up',
    text: 'Hi {contact_name}, this is {agent_name} from {desk_name}. Could you send us your order number so we can look into it?',
  },
  {
    id: 'thanks',
    title: 'Thanks for the kind words',
    text: 'Thank you {contact_name}, we are glad to hear it! Passing it on to the team.',
  },
  {
    id: 'looking-into-it',
    title: 'Looking into it',
    text: 'Sorry to hear that, {contact_name}. We are looking into it and will get back to you shortly.',
  },
];

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** The problems with a list of canned responses, each naming the item ("items.2.id ..."); empty when it is fine. */
export function cannedResponseProblems(items: readonly CannedResponse[]): string[] {
  const problems: string[] = [];
  const firstIndex = new Map<string, number>();
  const known = new Set<string>(CANNED_PLACEHOLDERS);
  items.forEach((item, index) => {
    const earlier = firstIndex.get(item.id);
    if (earlier !== undefined) problems.push(`items.${index}.id "${item.id}" is already used by items.${earlier}`);
    else firstIndex.set(item.id, index);
    for (const match of item.text.matchAll(PLACEHOLDER)) {
      const name = match[1] ?? '';
      if (!known.has(name)) {
        problems.push(`items.${index}.text uses {${name}}, which the desk cannot fill (use ${CANNED_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})`);
      }
    }
  });
  return problems;
}
