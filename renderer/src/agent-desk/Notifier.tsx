/**
 * New work for the agent at this workstation: an in-page toast always, and a system notification
 * (the web Notification API; Electron shows it as a desktop notification) when the agent allowed
 * them. Mounted once by App, so it speaks on every page. A toast goes away when the offer is
 * accepted, given back or moved, or when dismissed.
 */
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { Assignment } from '../../../electron/core/contract';
import { messageKindLabels, platformLabels } from '../app/format';
import { CloseIcon } from '../app/icons';
import { useDeskClient, useDeskEvents } from '../state/hooks';
import { BellIcon } from './icons';
import { requestOpen, useAgentId } from './session';
import './agent-desk.css';

interface Toast {
  assignmentId: number;
  interactionId: number;
  title: string;
  body: string;
}

const MAX_TOASTS = 4;

// ---------------------------------------------------------------------------------------------
// Notification permission, as a tiny store so the page's button follows the answer.

type Permission = NotificationPermission | 'unsupported';
const permissionListeners = new Set<() => void>();

function currentPermission(): Permission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

export function useNotificationPermission(): Permission {
  return useSyncExternalStore(
    (listener) => {
      permissionListeners.add(listener);
      return () => permissionListeners.delete(listener);
    },
    currentPermission,
  );
}

export async function askNotificationPermission(): Promise<Permission> {
  if (typeof Notification === 'undefined') return 'unsupported';
  try {
    await Notification.requestPermission();
  } finally {
    for (const listener of [...permissionListeners]) listener();
  }
  return currentPermission();
}

function openWork(interactionId: number): void {
  requestOpen(interactionId);
  if (location.hash !== '#/agent-desk') location.hash = '#/agent-desk';
}

function showSystemNotification(toast: Toast): void {
  if (currentPermission() !== 'granted') return;
  try {
    const notification = new Notification(toast.title, { body: toast.body, tag: `assignment-${toast.assignmentId}` });
    notification.onclick = () => {
      window.focus();
      openWork(toast.interactionId);
      notification.close();
    };
  } catch {
    // Some hosts only allow notifications from a service worker: the toast still shows.
  }
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function AgentDeskNotifier() {
  const client = useDeskClient();
  const agentId = useAgentId();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const seen = useRef(new Set<number>());

  useEffect(() => {
    setToasts([]);
  }, [agentId]);

  const announce = useCallback(
    async (assignment: Assignment) => {
      let toast: Toast = {
        assignmentId: assignment.id,
        interactionId: assignment.interactionId,
        title: 'New work for you',
        body: `Interaction ${assignment.interactionId} is offered to ${assignment.agentName}.`,
      };
      try {
        const work = await client.listMyWork({ agentId: assignment.agentId });
        const item = work.items.find((candidate) => candidate.interactionId === assignment.interactionId);
        if (item === undefined) return; // Already gone (accepted elsewhere, given back).
        toast = {
          ...toast,
          title: `New work: ${platformLabels[item.platform]} ${messageKindLabels[item.kind].toLowerCase()} from ${item.contactName}`,
          body: clip(item.text, 140),
        };
      } catch {
        // The generic words will do.
      }
      setToasts((current) => [toast, ...current.filter((t) => t.assignmentId !== toast.assignmentId)].slice(0, MAX_TOASTS));
      showSystemNotification(toast);
    },
    [client],
  );

  useDeskEvents((events) => {
    if (agentId === null) return;
    const ended = new Set<number>();
    for (const event of events) {
      if (event.type !== 'routingChanged' || event.payload.type !== 'assignment') continue;
      const assignment = event.payload.assignment;
      if (assignment.agentId !== agentId) continue;
      if (assignment.acceptedAt !== null || assignment.endedAt !== null) {
        ended.add(assignment.id);
        continue;
      }
      if (seen.current.has(assignment.id)) continue;
      seen.current.add(assignment.id);
      void announce(assignment);
    }
    if (ended.size > 0) setToasts((current) => current.filter((toast) => !ended.has(toast.assignmentId)));
  });

  return (
    <div className="toast-region" role="region" aria-label="Notifications" data-testid="toast-region">
      <div aria-live="polite" aria-atomic="false" className="toast-stack">
        {toasts.map((toast) => (
          <div key={toast.assignmentId} className="toast" data-testid="work-toast">
            <BellIcon size={18} className="toast-icon" />
            <div className="toast-body">
              <p className="toast-title">{toast.title}</p>
              {toast.body !== '' && <p className="toast-text">{toast.body}</p>}
              <button
                type="button"
                className="button button-primary button-small toast-open"
                onClick={() => {
                  setToasts((current) => current.filter((t) => t.assignmentId !== toast.assignmentId));
                  openWork(toast.interactionId);
                }}
              >
                Open
              </button>
            </div>
            <button
              type="button"
              className="icon-button toast-close"
              aria-label="Dismiss notification"
              onClick={() => setToasts((current) => current.filter((t) => t.assignmentId !== toast.assignmentId))}
            >
              <CloseIcon size={16} />
            </button>
          </div>
        ))}
      </div>
    </div>
  );
}
