/** The reports commands' handlers (see api/reports.ts). */
import { EVENT_TYPE_LABELS, INTERACTIONS_CSV_COLUMNS, CSV_MAX_ROWS, Platform, type DispositionCode, type DispositionReport, type ReportFilters, type ReportGranularity, type reportsCommands } from '../contract';
import type { CallContext, DeskParts, HandlersFor } from '../commands';
import { buildDispositionReport, durationFigures, percentOf, reportBuckets, reportSpan, toCsv, wallClock, type CsvCell } from '../reports';
import { appendAudit } from '../store/audit';
import type { Sql } from '../store/db';
import { listDispositionCodes, saveDispositionCode, setDispositionCodeRetired } from '../store/dispositions';
import { autoHandledCounts, completionDurations, countCompletions, interactionsForExport, reportFilterOptions, serviceLevelCounts, volumeByChannel } from '../store/reports';
import { readSettings } from '../store/settings';

/**
 * The disposition report for a range in a zone: the buckets (luxon), the codes, the counts (one
 * indexed query) and their arrangement. `scan` reads the table instead of the index (the bench's baseline).
 */
export async function dispositionReport(
  sql: Sql,
  query: { from: string; to: string; granularity: ReportGranularity; filters: ReportFilters; timeZone: string },
  options: { scan?: boolean } = {},
): Promise<DispositionReport> {
  const buckets = reportBuckets(query.from, query.to, query.timeZone, query.granularity);
  const codes = await listDispositionCodes(sql, { includeRetired: true });
  const counts = await countCompletions(sql, buckets, query.filters, options);
  return buildDispositionReport({ ...query, buckets, codes }, counts);
}

const CHANNEL_NAMES = { x: 'X', facebook: 'Facebook', messenger: 'Messenger' } as const;

export function reportsHandlers(parts: DeskParts): HandlersFor<typeof reportsCommands> {
  const { store, clock } = parts;
  const zone = async (): Promise<string> => (await readSettings(store.db)).settings.timeZone;

  /** Saves a change to the codes with its audit entry, then tells every console. */
  async function changeCodes(context: CallContext, action: string, work: (tx: Sql, at: number) => Promise<DispositionCode>): Promise<DispositionCode> {
    const at = clock.now();
    const { code, entry, codes } = await store.db.transaction(async (tx) => {
      const code = await work(tx, at);
      const entry = await appendAudit(tx, { at, actor: context.actor, action, subject: code.name, detail: { id: code.id, name: code.name, retired: code.retired } });
      return { code, entry, codes: await listDispositionCodes(tx, { includeRetired: true }) };
    });
    parts.emit({ type: 'dispositionCodesChanged', payload: { codes } });
    parts.emit({ type: 'auditAppended', payload: entry });
    return code;
  }

  return {
    listDispositionCodes: async ({ includeRetired }) => ({ codes: await listDispositionCodes(store.db, { includeRetired }) }),

    saveDispositionCode: ({ id, name }, context) =>
      changeCodes(context, id === undefined ? 'disposition.added' : 'disposition.renamed', (tx, at) => saveDispositionCode(tx, { id, name }, at)),

    retireDispositionCode: ({ id, retired }, context) =>
      changeCodes(context, retired ? 'disposition.retired' : 'disposition.restored', (tx, at) => setDispositionCodeRetired(tx, id, retired, at)),

    getReportFilters: async () => ({ channels: [...Platform.options], ...(await reportFilterOptions(store.db)) }),

    readDispositionReport: async ({ from, to, granularity, filters }) => dispositionReport(store.db, { from, to, granularity, filters, timeZone: await zone() }),

    readReportSummary: async ({ from, to, filters }) => {
      const timeZone = await zone();
      const range = reportSpan(from, to, timeZone);
      const volume = await volumeByChannel(store.db, range, filters);
      const auto = await autoHandledCounts(store.db, range, filters);
      const durations = await completionDurations(store.db, range, filters);
      const levels = await serviceLevelCounts(store.db, range, filters);
      const channels = filters.channel !== undefined ? [filters.channel] : Platform.options;
      return {
        from,
        to,
        timeZone,
        filters,
        volumeByChannel: channels.map((channel) => ({ channel, interactions: volume.find((row) => row.channel === channel)?.interactions ?? 0 })),
        autoHandled: {
          closedDeskAnswers: auto['closed-desk'],
          autoLikes: auto['auto-like'],
          autoReplies: auto['auto-reply'],
          total: auto['closed-desk'] + auto['auto-like'] + auto['auto-reply'],
        },
        firstResponse: durationFigures(durations.firstResponse),
        handleTime: durationFigures(durations.handle),
        serviceLevel: levels.map((level) => {
          const percent = percentOf(level.within, level.answered);
          return {
            queueId: level.queueId,
            queueName: level.queueName,
            answered: level.answered,
            withinTarget: level.within,
            percent,
            targetPercent: level.targetPercent,
            targetWithinMs: level.targetWithinMs,
            met: percent === null ? null : percent >= level.targetPercent,
          };
        }),
      };
    },

    exportInteractionsCsv: async ({ from, to, filters }) => {
      const timeZone = await zone();
      const range = reportSpan(from, to, timeZone);
      const rows = await interactionsForExport(store.db, range, filters, CSV_MAX_ROWS + 1);
      const truncated = rows.length > CSV_MAX_ROWS;
      const kept = truncated ? rows.slice(0, CSV_MAX_ROWS) : rows;
      const cells: CsvCell[][] = kept.map((row) => [
        row.id,
        wallClock(row.createdAt, timeZone),
        row.state,
        CHANNEL_NAMES[row.channel],
        EVENT_TYPE_LABELS[row.kind],
        row.contact,
        row.queue,
        row.agent,
        row.disposition,
        row.dispositionNote,
        row.sentiment,
        row.answer,
        row.firstResponseMs === null ? null : Math.round(Math.max(0, row.firstResponseMs) / 1000),
        row.serviceLevelMet === null ? null : row.serviceLevelMet ? 'yes' : 'no',
        row.calendarOnArrival,
        row.completedAt === null ? null : wallClock(row.completedAt, timeZone),
      ]);
      const suffix = [filters.channel, filters.queueId === undefined ? undefined : `queue-${filters.queueId}`, filters.agentId === undefined ? undefined : `agent-${filters.agentId}`]
        .filter((part) => part !== undefined)
        .join('-');
      return {
        fileName: `interactions-${from}-to-${to}${suffix === '' ? '' : `-${suffix}`}.csv`,
        csv: toCsv(INTERACTIONS_CSV_COLUMNS, cells),
        rows: kept.length,
        truncated,
      };
    },
  };
}
