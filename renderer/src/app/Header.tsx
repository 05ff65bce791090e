import type { KeyboardEvent, RefObject } from 'react';
import { useDeskSnapshot, useNow } from '../state/hooks';
import { ConnectionIndicator } from './ConnectionIndicator';
import { DeskStatePill } from './DeskStatePill';
import { EmergencyBanner } from './EmergencyBanner';
import { EmergencySwitch } from './EmergencySwitch';
import { formatClock, formatClockDate, zoneFormatOf } from './format';
import { SearchIcon } from './icons';
import { SandboxBanner } from './SandboxBanner';

export interface HeaderSearchProps {
  readonly query: string;
  readonly drawerOpen: boolean;
  readonly inputRef: RefObject<HTMLInputElement | null>;
  onQueryChange(query: string): void;
  onSubmit(): void;
  onEscape(): void;
  onArrowDown(): void;
}

function DeskClock() {
  const { status, clockOffsetMs } = useDeskSnapshot();
  const now = useNow(clockOffsetMs);
  if (status === null) return null;
  const zone = zoneFormatOf(status);
  return (
    <div className="clock" data-testid="desk-clock">
      <span className="clock-time">{formatClock(now, zone)}</span>
      <span className="clock-zone">
        {formatClockDate(now, zone)} · {status.timeZone}
      </span>
    </div>
  );
}

function HeaderSearch(props: HeaderSearchProps) {
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Escape') {
      event.preventDefault();
      props.onEscape();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      props.onSubmit();
    } else if (event.key === 'ArrowDown' && props.drawerOpen) {
      event.preventDefault();
      props.onArrowDown();
    }
  };
  return (
    <div className="header-search" role="search">
      <label htmlFor="contact-search" className="visually-hidden">
        Find contact
      </label>
      <SearchIcon size={16} className="header-search-icon" />
      <input
        ref={props.inputRef}
        id="contact-search"
        type="search"
        autoComplete="off"
        spellCheck={false}
        placeholder="Find contact by name or handle"
        value={props.query}
        aria-controls={props.drawerOpen ? 'contact-drawer' : undefined}
        onChange={(event) => props.onQueryChange(event.target.value)}
        onKeyDown={onKeyDown}
      />
    </div>
  );
}

export function Header({ search }: { search: HeaderSearchProps }) {
  const { status, statusError } = useDeskSnapshot();
  return (
    <header className="header">
      <div className="header-bar">
        <div className="header-desk">
          {status === null ? (
            <p className="header-desk-name header-muted">{statusError === null ? 'Loading desk…' : 'Desk unavailable'}</p>
          ) : (
            <>
              <p className="header-desk-name" data-testid="desk-name">
                {status.deskName}
              </p>
              <div className="header-desk-state">
                <DeskStatePill deskState={status.deskState} />
                <span className="header-state-reason" title={status.deskState.reason}>
                  {status.deskState.reason}
                </span>
              </div>
            </>
          )}
        </div>
        <HeaderSearch {...search} />
        <div className="header-right">
          <EmergencySwitch />
          <DeskClock />
          <ConnectionIndicatorFromStore />
        </div>
      </div>
      <EmergencyBanner />
      {status !== null && <SandboxBanner network={status.network} />}
    </header>
  );
}

function ConnectionIndicatorFromStore() {
  const { connection } = useDeskSnapshot();
  return <ConnectionIndicator state={connection} />;
}
