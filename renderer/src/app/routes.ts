/**
 * Hash routes (`#/monitor`, `#/settings`, ...): they work the same from file:// in Electron
 * and from the server-mode origin, and need nothing from the server.
 */
import { useSyncExternalStore } from 'react';

export const pageIds = ['monitor', 'queues', 'agents', 'agent-desk', 'calendar', 'rules', 'reports', 'settings'] as const;
export type PageId = (typeof pageIds)[number];

export const DEFAULT_PAGE: PageId = 'monitor';

export function pageFromHash(hash: string): PageId {
  const match = /^#\/([a-z-]+)\/?$/.exec(hash);
  const candidate = match?.[1];
  return (pageIds as readonly string[]).includes(candidate ?? '') ? (candidate as PageId) : DEFAULT_PAGE;
}

export function hrefFor(page: PageId): string {
  return `#/${page}`;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useCurrentPage(): PageId {
  return useSyncExternalStore(subscribe, () => pageFromHash(location.hash));
}
