import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commandNames, commands, eventNames, events, parseCommandInput, resultSchema, DeskEventSchema } from '../../electron/core/contract';

describe('the contract', () => {
  it('lists every command and event (a change here is a change of the desk API: review it)', () => {
    const surface = {
      commands: Object.fromEntries(
        commandNames.map((name) => [name, { input: z.toJSONSchema(commands[name].input, { io: 'input', unrepresentable: 'any' }), output: z.toJSONSchema(commands[name].output, { unrepresentable: 'any' }) }]),
      ),
      events: Object.fromEntries(eventNames.map((name) => [name, z.toJSONSchema(events[name].payload, { unrepresentable: 'any' })])),
    };
    expect(commandNames).toEqual([
      'getStatus',
      'getSettings',
      'updateSettings',
      'searchContacts',
      'getContactHistory',
      'readAuditLog',
      'readFeed',
      'mergeContacts',
      'getConnectors',
      'getAccounts',
      'saveXAccount',
      'saveFacebookAccount',
      'removeAccount',
      'testConnection',
      'getCalendar',
      'saveCalendar',
      'previewIcs',
      'setEmergency',
      'whatHappensAt',
      'listOutbox',
      'retryOutboxItem',
      'cancelOutboxItem',
      'getRules',
      'saveRules',
      'testRule',
      'listAutoActions',
      'undoAutoAction',
      'getRouting',
      'saveAgent',
      'setAgentState',
      'saveQueue',
      'listWaiting',
      'readQueueHistory',
      'getInteraction',
      'moveInteraction',
      'acceptInteraction',
      'listMyWork',
      'getConversation',
      'sendReply',
      'moveToPrivate',
      'react',
      'completeInteraction',
      'transferInteraction',
      'getCannedResponses',
      'saveCannedResponses',
      'listDispositionCodes',
      'saveDispositionCode',
      'retireDispositionCode',
      'getReportFilters',
      'readDispositionReport',
      'readReportSummary',
      'exportInteractionsCsv',
    ]);
    expect(eventNames).toEqual([
      'statusChanged',
      'settingsChanged',
      'auditAppended',
      'feedAppended',
      'connectorChanged',
      'interactionsChanged',
      'outboxChanged',
      'calendarChanged',
      'contactsMerged',
      'rulesChanged',
      'routingChanged',
      'dispositionCodesChanged',
    ]);
    expect(surface).toMatchSnapshot();
  });

  it('applies defaults and names the field and the problem when input is wrong', () => {
    const ok = parseCommandInput('searchContacts', { query: '  zoë ' });
    expect(ok).toEqual({ ok: true, value: { query: 'zoë', limit: 25 } });

    const tooMany = parseCommandInput('searchContacts', { query: 'a', limit: 5000 });
    expect(tooMany.ok).toBe(false);
    if (!tooMany.ok) {
      expect(tooMany.error.code).toBe('bad_input');
      expect(tooMany.error.message).toMatch(/^searchContacts: limit /);
    }

    const stray = parseCommandInput('getSettings', { sneaky: true });
    expect(stray.ok).toBe(false);

    const zone = parseCommandInput('updateSettings', { timeZone: 'Mars/Olympus_Mons' });
    expect(zone).toMatchObject({ ok: false, error: { code: 'bad_input', message: expect.stringMatching(/timeZone is not an IANA time zone/) } });

    const nothing = parseCommandInput('updateSettings', {});
    expect(nothing).toMatchObject({ ok: false, error: { message: expect.stringMatching(/names no setting/) } });
  });

  it('accepts the zones far from UTC that the calendar must handle', () => {
    for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Kathmandu', 'UTC', 'America/New_York']) {
      expect(parseCommandInput('updateSettings', { timeZone: zone }).ok).toBe(true);
    }
  });

  it('describes results and events so both ends can check them at run time', () => {
    const schema = resultSchema(commands.getSettings.output);
    expect(schema.safeParse({ ok: true, value: { deskName: 'D', timeZone: 'UTC', timeFormat: '24h', backfillHours: 24, xStream: false, offerTimeoutSeconds: 60 } }).success).toBe(true);
    expect(schema.safeParse({ ok: false, error: { code: 'internal', message: 'x' } }).success).toBe(true);
    expect(schema.safeParse({ ok: false, error: { code: 'boom', message: 'x' } }).success).toBe(false);
    expect(DeskEventSchema.safeParse({ type: 'settingsChanged', payload: { deskName: 'D', timeZone: 'UTC', timeFormat: '12h', backfillHours: 0, xStream: true, offerTimeoutSeconds: 120 } }).success).toBe(true);
    expect(DeskEventSchema.safeParse({ type: 'settingsChanged', payload: { deskName: 'D' } }).success).toBe(false);
    expect(DeskEventSchema.safeParse({ type: 'noSuchEvent', payload: {} }).success).toBe(false);
  });
});
