/** Time zones and locales for the pickers (Calendar and Settings). */

export function timeZoneGroups(current: string): { region: string; zones: string[] }[] {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  const all = new Set([...zones, 'UTC', current]);
  const groups = new Map<string, string[]>();
  for (const zone of [...all].sort()) {
    const region = zone.includes('/') ? zone.slice(0, zone.indexOf('/')) : 'Universal';
    const list = groups.get(region) ?? [];
    list.push(zone);
    groups.set(region, list);
  }
  const universal = groups.get('Universal');
  groups.delete('Universal');
  const ordered = [...groups.entries()].map(([region, list]) => ({ region, zones: list }));
  return universal === undefined ? ordered : [{ region: 'Universal', zones: universal }, ...ordered];
}

/** Languages {reopens_at} can be written in; the calendar's own is added when it is not listed. */
const LOCALES: ReadonlyArray<readonly [string, string]> = [
  ['en-GB', 'English (United Kingdom)'],
  ['en-US', 'English (United States)'],
  ['fr-FR', 'Français'],
  ['de-DE', 'Deutsch'],
  ['es-ES', 'Español'],
  ['it-IT', 'Italiano'],
  ['nl-NL', 'Nederlands'],
  ['pt-PT', 'Português (Portugal)'],
  ['pt-BR', 'Português (Brasil)'],
];

export function localeOptions(current: string): ReadonlyArray<readonly [string, string]> {
  return LOCALES.some(([code]) => code === current) ? LOCALES : [...LOCALES, [current, current] as const];
}
