/**
 * What each page is and, for the ones still to come, what it will do (from DESIGN.md).
 * One table drives the sidebar, the page headers and the "not built yet" cards, so they
 * cannot drift apart.
 */
import type { ComponentType } from 'react';
import {
  AgentIcon,
  CalendarIcon,
  MonitorIcon,
  QueuesIcon,
  ReportsIcon,
  RulesIcon,
  SettingsIcon,
} from '../app/icons';
import type { PageId } from '../app/routes';

export interface PlannedWork {
  /** The empty-state card's title. */
  readonly headline: string;
  /** Two to four lines on what the page will do. */
  readonly summary: string;
  readonly willShow: readonly string[];
  /** DESIGN.md requirement numbers the page will cover. */
  readonly requirements: readonly string[];
  /** What already helps today, if anything. */
  readonly meanwhile?: string;
}

export interface PageInfo {
  readonly id: PageId;
  readonly title: string;
  readonly description: string;
  readonly icon: ComponentType<{ size?: number }>;
  readonly planned: PlannedWork | null;
}

export const pages: readonly PageInfo[] = [
  {
    id: 'monitor',
    title: 'Monitor',
    description: "Everything arriving on the company's X handle, Facebook Page and Messenger, as it happens.",
    icon: MonitorIcon,
    planned: null,
  },
  {
    id: 'queues',
    title: 'Queues',
    description: 'Work waiting for an agent, and the agents who can take it.',
    icon: QueuesIcon,
    planned: {
      headline: 'Queue visualization is not built yet',
      summary:
        'This page will show the interactions waiting for an agent with the right skills, and the ones held until the desk reopens, next to who is available to take them.',
      willShow: [
        'Waiting interactions per queue and skill, with the oldest wait time',
        'Agents ready, not ready (with the reason) and offline, with their load against capacity',
        'Interactions held as waiting-for-open after hours or on special days, released when the desk opens',
        'The agent group that receives X direct messages',
      ],
      requirements: ['R8', 'R13', 'R17'],
    },
  },
  {
    id: 'agent-desk',
    title: 'Agent desk',
    description: "The agent's workspace: one interaction, the customer's history, the answer.",
    icon: AgentIcon,
    planned: {
      headline: 'The agent workspace is not built yet',
      summary:
        "This is where an agent will work an assigned interaction: read the customer's history across platforms, answer publicly or privately, and close it with a disposition code.",
      willShow: [
        'The assigned interaction with the contact’s messages on X, Facebook and Messenger',
        'Answer publicly (X reply, Page comment) or privately (X DM, Messenger, private reply to a comment) — public messages get a public answer first',
        'Like, retweet or favourite instead of replying, and live Messenger chat with both sides as they happen',
        'Completion with a required disposition code',
      ],
      requirements: ['R9', 'R10', 'R11', 'R18'],
      meanwhile: "Any contact's history across platforms is already one search away: use Find contact in the header.",
    },
  },
  {
    id: 'calendar',
    title: 'Calendar',
    description: 'When the desk is open, and what customers hear when it is not.',
    icon: CalendarIcon,
    planned: null,
  },
  {
    id: 'rules',
    title: 'Rules',
    description: 'What happens to each incoming message, decided by keyword rules in priority order.',
    icon: RulesIcon,
    planned: {
      headline: 'The rules editor is not built yet',
      summary:
        'This page will hold the rules that decide the next action for every incoming message — the first matching rule by priority wins — and the strategies built on them.',
      willShow: [
        'Rules by priority: platforms, event types, keywords and sentiment → route, auto-reply, like or retweet, or ignore',
        'Strategies: auto-reply to mentions (retried until a deadline), X direct messages to an agent group, likes and retweets for positive posts',
        'Agents, skills and disposition codes that routing and reporting rely on',
      ],
      requirements: ['R2', 'R12', 'R13', 'R14'],
    },
  },
  {
    id: 'reports',
    title: 'Reports',
    description: 'How interactions were closed and how much came in.',
    icon: ReportsIcon,
    planned: {
      headline: 'Reports are not built yet',
      summary:
        "This page will chart how the desk's interactions ended and how much arrived on each channel, so a manager can read the week at a glance.",
      willShow: [
        'Disposition report: completed interactions by disposition code, per day or week',
        'Volume by platform and channel, and how much was auto-handled, queued or answered out of hours',
        'Outbound replies that failed even after retrying until their deadline',
      ],
      requirements: ['R11', 'R12'],
    },
  },
  {
    id: 'settings',
    title: 'Settings',
    description: 'Desk-wide settings, the accounts the desk watches, where it keeps its data, and who changed what.',
    icon: SettingsIcon,
    planned: null,
  },
];

export function pageInfo(id: PageId): PageInfo {
  const info = pages.find((page) => page.id === id);
  if (info === undefined) throw new Error(`No page ${id}`);
  return info;
}
