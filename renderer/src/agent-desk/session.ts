/**
 * Who is working at this workstation, and requests to open a piece of work.
 *
 * The agent is remembered in localStorage (one workstation, one agent at a time; another
 * window of the same console follows through the `storage` event). The notifier, which lives
 * on every page, asks the Agent desk to open an interaction through `requestOpen`; the page
 * takes the request when it is (or next is) on screen.
 */
import { useSyncExternalStore } from 'react';

const AGENT_KEY = 'social-care-desk.agent-desk.agent-id';

type Listener = () => void;
const listeners = new Set<Listener>();

function readAgentId(): number | null {
  try {
    const raw = localStorage.getItem(AGENT_KEY);
    if (raw === null) return null;
    const id = Number(raw);
    return Number.isInteger(id) && id > 0 ? id : null;
  } catch {
    return null;
  }
}

let agentId: number | null = readAgentId();
let pendingOpen: number | null = null;

function emit(): void {
  for (const listener of [...listeners]) listener();
}

if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key !== AGENT_KEY) return;
    const next = readAgentId();
    if (next !== agentId) {
      agentId = next;
      emit();
    }
  });
}

function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function setAgentId(id: number | null): void {
  agentId = id;
  try {
    if (id === null) localStorage.removeItem(AGENT_KEY);
    else localStorage.setItem(AGENT_KEY, String(id));
  } catch {
    // Storage refused (private mode, quota): remembered for this window only.
  }
  emit();
}

export function useAgentId(): number | null {
  return useSyncExternalStore(subscribe, () => agentId);
}

/** Asks the Agent desk page to open this interaction (taken once). */
export function requestOpen(interactionId: number): void {
  pendingOpen = interactionId;
  emit();
}

export function usePendingOpen(): number | null {
  return useSyncExternalStore(subscribe, () => pendingOpen);
}

export function takePendingOpen(): number | null {
  const id = pendingOpen;
  pendingOpen = null;
  if (id !== null) emit();
  return id;
}
