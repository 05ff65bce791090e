import type { ReactNode } from 'react';
import { LogoMark, WarningIcon } from './icons';

/** Full-window message for when there is no desk to show: no token, a rejected token, an unreadable desk. */
export function FatalScreen({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="fatal" aria-labelledby="fatal-title">
      <div className="fatal-card">
        <div className="fatal-brand">
          <LogoMark size={32} />
          <span>Social Care Desk</span>
        </div>
        <h1 id="fatal-title" className="fatal-title">
          <WarningIcon size={22} /> {title}
        </h1>
        <p className="fatal-text">{children}</p>
      </div>
    </main>
  );
}
