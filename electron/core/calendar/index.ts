/**
 * The calendar: operating hours, special days and the emergency switch decide whether the desk
 * is open for a message, and which closed-desk answer applies.
 *
 * schema.ts is zod only and may be re-exported by the contract; the rest runs in the core.
 */
export * from './schema';
export {
  DeskZone,
  deskZone,
  compileCalendar,
  dateOf,
  dayNumberOf,
  instantOfWallTime,
  openStretchesOn,
  weekdayOf,
  type CompiledCalendar,
  type DayPlan,
  type DayNumber,
  type Interval,
} from './hours';
export {
  REOPEN_HORIZON_DAYS,
  closedPeriodAt,
  closedSinceAt,
  decide,
  isOpenAt,
  nextOpenAt,
  shouldSendClosedAnswer,
  type ClosedAnswer,
  type ClosedAnswerCheck,
  type ClosedDecision,
  type ClosedPeriod,
  type DecideInput,
  type DeskDecision,
  type OpenDecision,
} from './decide';
export {
  CONTACT_NAME_UNKNOWN,
  REOPENS_AT_UNKNOWN,
  WORST_CASE_CONTACT_NAME,
  answerLimit,
  fillPlaceholders,
  formatReopensAt,
  renderAnswer,
  renderClosedAnswer,
  templatesOf,
  validateEmergencyMessage,
  validateTemplate,
  validateTemplates,
  type AnswerContext,
  type AnswerLimit,
  type TemplateCheck,
  type TemplateCheckContext,
  type TemplateToCheck,
  type TimeFormat,
} from './templates';
export { MAX_ICS_CHARS, holidaysToSpecialDays, parseIcs, type IcsHoliday, type IcsPreview } from './ics';
export { describeCalendarIssues, parseCalendarConfig, parseEmergencyState, type CalendarSaveContext } from './validate';
export { DEFAULT_TEMPLATES, DEFAULT_WEEKLY_HOURS, defaultCalendar } from './defaults';
