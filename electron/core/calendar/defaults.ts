/** The calendar a new desk starts with: Monday to Friday 09:00-17:00 and friendly answers. */
import type { AnswerTemplates, CalendarConfig, WeeklyHours } from './schema';

const OFFICE_HOURS = [{ start: '09:00', end: '17:00' }];

export const DEFAULT_WEEKLY_HOURS: WeeklyHours = {
  monday: OFFICE_HOURS,
  tuesday: OFFICE_HOURS,
  wednesday: OFFICE_HOURS,
  thursday: OFFICE_HOURS,
  friday: OFFICE_HOURS,
  saturday: [],
  sunday: [],
};

const outsideHoursShort = "Hi {contact_name}, thanks for your message! We're closed right now, and we'll answer you when we reopen ({reopens_at}).";
const outsideHoursLong =
  "Hi {contact_name}, thanks for getting in touch with {desk_name}. Our team is away right now, but we've kept your message and we'll answer it when we reopen ({reopens_at}).";

const specialDayShort = "Hi {contact_name}, thanks for your message! We're closed today for {special_day_name}. We'll answer you when we reopen ({reopens_at}).";
const specialDayLong =
  "Hi {contact_name}, thanks for getting in touch with {desk_name}. We're closed today for {special_day_name}. {special_day_message} We've kept your message and we'll answer it when we reopen ({reopens_at}).";

const emergencyShort = "Hi {contact_name}, thanks for your message. {emergency_message} We'll answer you as soon as we can.";
const emergencyLong =
  "Hi {contact_name}, thanks for getting in touch with {desk_name}. {emergency_message} We've kept your message and our team will answer it as soon as we can.";

export const DEFAULT_TEMPLATES: AnswerTemplates = {
  'outside-hours': {
    x: { answerPublicMessages: 'public', public: outsideHoursShort, private: outsideHoursLong },
    facebook: { answerPublicMessages: 'public', public: outsideHoursLong, private: outsideHoursLong },
    messenger: { private: outsideHoursLong },
  },
  'special-day': {
    x: { answerPublicMessages: 'public', public: specialDayShort, private: specialDayLong },
    facebook: { answerPublicMessages: 'public', public: specialDayLong, private: specialDayLong },
    messenger: { private: specialDayLong },
  },
  emergency: {
    x: { answerPublicMessages: 'public', public: emergencyShort, private: emergencyLong },
    facebook: { answerPublicMessages: 'public', public: emergencyLong, private: emergencyLong },
    messenger: { private: emergencyLong },
  },
};

/** Monday to Friday 09:00-17:00 in the given zone, no special days, one answer per closed period. */
export function defaultCalendar(zone = 'UTC'): CalendarConfig {
  return {
    zone,
    locale: 'en-GB',
    weekly: structuredClone(DEFAULT_WEEKLY_HOURS),
    specialDays: [],
    templates: structuredClone(DEFAULT_TEMPLATES),
    answerOncePerClosedPeriod: true,
  };
}
