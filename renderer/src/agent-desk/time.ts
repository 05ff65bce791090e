import { useEffect, useState } from 'react';

/** Short durations for things that tick: "45 s", "4 min 12 s", "1 h 5 min", "2 d 3 h". */
export function formatWait(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return `${minutes} min ${seconds % 60} s`;
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

/** Spoken form for screen readers and titles: "4 minutes 12 seconds". */
export function spokenWait(ms: number): string {
  return formatWait(ms).replace(/\bs\b/g, 'seconds').replace(/\bmin\b/g, 'minutes').replace(/\bh\b/g, 'hours').replace(/\bd\b/g, 'days');
}

/** The desk's time, updated each minute: enough for "14:03" labels, without re-rendering a page every second. */
export function useDeskMinute(offsetMs: number): number {
  const [minute, setMinute] = useState(() => Math.floor((Date.now() + offsetMs) / 60_000));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const schedule = (): void => {
      const now = Date.now() + offsetMs;
      timer = setTimeout(() => {
        setMinute(Math.floor((Date.now() + offsetMs) / 60_000));
        schedule();
      }, 60_000 - (now % 60_000) + 50);
    };
    setMinute(Math.floor((Date.now() + offsetMs) / 60_000));
    schedule();
    return () => clearTimeout(timer);
  }, [offsetMs]);
  return minute * 60_000;
}
