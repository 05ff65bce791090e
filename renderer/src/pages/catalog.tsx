/** What each page is: one table drives the sidebar and the page headers, so they cannot drift apart. */
import type { ComponentType } from 'react';
import {
  AgentIcon,
  CalendarIcon,
  MonitorIcon,
  PeopleIcon,
  QueuesIcon,
  ReportsIcon,
  RulesIcon,
  SettingsIcon,
} from '../app/icons';
import type { PageId } from '../app/routes';

export interface PageInfo {
  readonly id: PageId;
  readonly title: string;
  readonly description: string;
  readonly icon: ComponentType<{ size?: number }>;
}

export const pages: readonly PageInfo[] = [
  {
    id: 'monitor',
    title: 'Monitor',
    description: "Everything arriving on the company's X handle, Facebook Page and Messenger, as it happens.",
    icon: MonitorIcon,
  },
  {
    id: 'queues',
    title: 'Queues',
    description: 'Work waiting for an agent, how long it has waited, and the agents who can take it.',
    icon: QueuesIcon,
  },
  {
    id: 'agents',
    title: 'Agents',
    description: 'Who takes the work: skills with levels, groups, how much each agent holds at once, and whether they are ready.',
    icon: PeopleIcon,
  },
  {
    id: 'agent-desk',
    title: 'Agent desk',
    description: "The agent's workspace: your work, the customer's whole history, the answer, and the disposition that closes it.",
    icon: AgentIcon,
  },
  {
    id: 'calendar',
    title: 'Calendar',
    description: 'When the desk is open, and what customers hear when it is not.',
    icon: CalendarIcon,
  },
  {
    id: 'rules',
    title: 'Rules',
    description: 'What happens to each incoming message, decided by keyword rules in priority order.',
    icon: RulesIcon,
  },
  {
    id: 'reports',
    title: 'Reports',
    description: 'How interactions were closed and how much came in: dispositions per day or week, volume, response times and service level.',
    icon: ReportsIcon,
  },
  {
    id: 'settings',
    title: 'Settings',
    description: 'Desk-wide settings, the accounts the desk watches, where it keeps its data, and who changed what.',
    icon: SettingsIcon,
  },
];

export function pageInfo(id: PageId): PageInfo {
  const info = pages.find((page) => page.id === id);
  if (info === undefined) throw new Error(`No page ${id}`);
  return info;
}
