/**
 * Disposition codes and completion at the store level (R11): what the agent desk relies on.
 * Real SQLite in a temp folder.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeskFailure } from '../../electron/core/contract';
import { openStore, type Store } from '../../electron/core/store';
import { completeInteraction, listDispositionCodes, recordFirstResponse, saveDispositionCode, setDispositionCodeRetired } from '../../electron/core/store/dispositions';
import { interactionHistory } from '../../electron/core/store/interactions';
import { codeId, seedAgent, seedQueue, seedWork } from '../support/seed-reports';
import { tempDir } from '../support/temp';

let dir: ReturnType<typeof tempDir>;
let store: Store;
const T0 = Date.UTC(2025, 5, 2, 9, 0);

beforeEach(async () => {
  dir = tempDir();
  store = await openStore(dir.path);
});
afterEach(async () => {
  await store.close();
  dir.remove();
});

async function failure(work: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await work;
  } catch (error) {
    if (error instanceof DeskFailure) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a DeskFailure');
}

describe('disposition codes', () => {
  it('start with a sensible default set, by name', async () => {
    const codes = await listDispositionCodes(store.db, { includeRetired: true });
    expect(codes.map((code) => code.name)).toEqual(['Escalated', 'Follow-up needed', 'Information given', 'Resolved', 'Spam / no action']);
    expect(codes.every((code) => !code.retired && code.retiredAt === null)).toBe(true);
  });

  it('are added and renamed; an empty or taken name (any case, extra spaces) is refused and changes nothing', async () => {
    const added = await store.db.transaction((tx) => saveDispositionCode(tx, { name: '  Refund   issued ' }, T0));
    expect(added).toMatchObject({ name: 'Refund issued', retired: false, createdAt: T0 });
    const renamed = await store.db.transaction((tx) => saveDispositionCode(tx, { id: added.id, name: 'Refund granted' }, T0 + 1));
    expect(renamed).toMatchObject({ id: added.id, name: 'Refund granted', createdAt: T0, updatedAt: T0 + 1 });
    // Renaming a code to its own name in another case is allowed.
    await store.db.transaction((tx) => saveDispositionCode(tx, { id: added.id, name: 'refund granted' }, T0 + 2));

    const before = await listDispositionCodes(store.db, { includeRetired: true });
    expect(await failure(store.db.transaction((tx) => saveDispositionCode(tx, { name: '   ' }, T0)))).toEqual({ code: 'bad_input', message: 'a disposition code needs a name' });
    expect(await failure(store.db.transaction((tx) => saveDispositionCode(tx, { name: 'RESOLVED' }, T0)))).toEqual({
      code: 'bad_input',
      message: 'a disposition code named "Resolved" already exists',
    });
    expect(await failure(store.db.transaction((tx) => saveDispositionCode(tx, { id: added.id, name: 'information  given' }, T0)))).toMatchObject({ code: 'bad_input' });
    expect(await failure(store.db.transaction((tx) => saveDispositionCode(tx, { id: 999, name: 'Ghost' }, T0)))).toEqual({ code: 'not_found', message: 'there is no disposition code 999' });
    expect(await listDispositionCodes(store.db, { includeRetired: true })).toEqual(before);
  });

  it('are retired and brought back; a retired code is left out of the list the completion dialog reads', async () => {
    const escalated = await codeId(store.db, 'Escalated');
    const retired = await store.db.transaction((tx) => setDispositionCodeRetired(tx, escalated, true, T0));
    expect(retired).toMatchObject({ retired: true, retiredAt: T0 });
    expect((await listDispositionCodes(store.db, { includeRetired: false })).map((code) => code.name)).not.toContain('Escalated');
    expect((await listDispositionCodes(store.db, { includeRetired: true })).map((code) => code.name)).toContain('Escalated');
    expect(await failure(store.db.transaction((tx) => saveDispositionCode(tx, { name: 'escalated' }, T0)))).toEqual({
      code: 'bad_input',
      message: 'a disposition code named "Escalated" already exists (retired: bring it back instead)',
    });
    const back = await store.db.transaction((tx) => setDispositionCodeRetired(tx, escalated, false, T0 + 1));
    expect(back).toMatchObject({ retired: false, retiredAt: null });
  });
});

describe('completing an interaction', () => {
  async function assignedWork(): Promise<{ interactionId: number; agentId: number; otherAgentId: number; queueId: number }> {
    return store.db.transaction(async (tx) => {
      const agentId = await seedAgent(tx, 'Ines');
      const otherAgentId = await seedAgent(tx, 'Omar');
      const queueId = await seedQueue(tx, 'Orders');
      const [interactionId] = await seedWork(tx, [{ channel: 'messenger', arrivedAt: T0, queueId, agentId, dispositionCodeId: null }]);
      return { interactionId: interactionId!, agentId, otherAgentId, queueId };
    });
  }

  it('closes it with the code, the note, the agent, its channel and queue, and a line in its history', async () => {
    const { interactionId, agentId, queueId } = await assignedWork();
    const resolved = await codeId(store.db, 'Resolved');
    await store.db.transaction((tx) => completeInteraction(tx, { interactionId, agentId, dispositionCodeId: resolved, note: '  refund sent ', at: T0 + 600_000, actor: 'Ines' }));
    expect(
      await store.db.get(
        'SELECT state, completed_at, completed_by_agent_id, disposition_code_id, disposition_note, completed_channel, completed_queue_id FROM interactions WHERE id = ?',
        [interactionId],
      ),
    ).toEqual({
      state: 'completed',
      completed_at: T0 + 600_000,
      completed_by_agent_id: agentId,
      disposition_code_id: resolved,
      disposition_note: 'refund sent',
      completed_channel: 'messenger',
      completed_queue_id: queueId,
    });
    expect((await interactionHistory(store.db, interactionId)).at(-1)).toEqual({ at: T0 + 600_000, fromState: 'assigned', toState: 'completed', actor: 'Ines', reason: 'disposition: Resolved' });
  });

  it('is refused without a code, with a retired or unknown code, twice, when not assigned or held by another agent; nothing changes', async () => {
    const { interactionId, agentId, otherAgentId, queueId } = await assignedWork();
    const resolved = await codeId(store.db, 'Resolved');
    const spam = await codeId(store.db, 'Spam / no action');
    await store.db.transaction((tx) => setDispositionCodeRetired(tx, spam, true, T0));
    const complete = (change: Partial<Parameters<typeof completeInteraction>[1]>) =>
      failure(store.db.transaction((tx) => completeInteraction(tx, { interactionId, agentId, dispositionCodeId: resolved, at: T0 + 1, actor: 'Ines', ...change })));

    expect(await complete({ dispositionCodeId: undefined })).toEqual({ code: 'bad_input', message: `interaction ${interactionId} cannot be completed without a disposition code: choose one` });
    expect(await complete({ dispositionCodeId: null })).toMatchObject({ code: 'bad_input' });
    expect(await complete({ dispositionCodeId: spam })).toEqual({ code: 'bad_input', message: 'the disposition code "Spam / no action" is retired and can no longer be chosen: choose another' });
    expect(await complete({ dispositionCodeId: 4242 })).toEqual({ code: 'not_found', message: 'there is no disposition code 4242' });
    expect(await complete({ interactionId: 4242 })).toEqual({ code: 'not_found', message: 'there is no interaction 4242' });
    expect(await complete({ agentId: otherAgentId })).toEqual({ code: 'conflict', message: `interaction ${interactionId} is assigned to Ines, not to agent ${otherAgentId}` });
    expect(await complete({ note: 'x'.repeat(1001) })).toMatchObject({ code: 'bad_input', message: 'the disposition note is longer than 1000 characters' });

    const untouched = await store.db.get('SELECT state, completed_at, disposition_code_id FROM interactions WHERE id = ?', [interactionId]);
    expect(untouched).toEqual({ state: 'assigned', completed_at: null, disposition_code_id: null });
    expect((await interactionHistory(store.db, interactionId)).map((step) => step.toState)).toEqual(['new', 'queued', 'assigned']);

    await store.db.transaction((tx) => completeInteraction(tx, { interactionId, agentId, dispositionCodeId: resolved, note: null, at: T0 + 2, actor: 'Ines' }));
    expect(await complete({})).toEqual({ code: 'conflict', message: `interaction ${interactionId} is already completed` });

    const [waiting] = await store.db.transaction(async (tx) => {
      const ids = await seedWork(tx, [{ channel: 'x', arrivedAt: T0, queueId, agentId, dispositionCodeId: null }]);
      // Given back to the queue: no agent holds it.
      await tx.run("UPDATE assignments SET ended_at = ?, end_reason = 'returned' WHERE interaction_id = ?", [T0 + 5, ids[0]!]);
      await tx.run("UPDATE interactions SET state = 'queued' WHERE id = ?", [ids[0]!]);
      return ids;
    });
    expect(await complete({ interactionId: waiting! })).toEqual({
      code: 'conflict',
      message: `interaction ${waiting} is queued, not assigned to an agent: only the agent holding it can complete it`,
    });
  });
});

describe('the first response', () => {
  it('keeps the first answer and adds the sides: public then private is both', async () => {
    const interactionId = await store.db.transaction(async (tx) => {
      const agentId = await seedAgent(tx, 'Ines');
      const queueId = await seedQueue(tx, 'Orders');
      return (await seedWork(tx, [{ channel: 'x', arrivedAt: T0, queueId, agentId, dispositionCodeId: null, answeredAfterMs: null }]))[0]!;
    });
    const read = () => store.db.get('SELECT first_response_at, answer_visibility FROM interactions WHERE id = ?', [interactionId]);
    expect(await read()).toEqual({ first_response_at: null, answer_visibility: null });
    await store.db.transaction((tx) => recordFirstResponse(tx, { interactionId, at: T0 + 300_000, visibility: 'public' }));
    expect(await read()).toEqual({ first_response_at: T0 + 300_000, answer_visibility: 'public' });
    await store.db.transaction((tx) => recordFirstResponse(tx, { interactionId, at: T0 + 400_000, visibility: 'public' }));
    expect(await read()).toEqual({ first_response_at: T0 + 300_000, answer_visibility: 'public' });
    await store.db.transaction((tx) => recordFirstResponse(tx, { interactionId, at: T0 + 500_000, visibility: 'private' }));
    expect(await read()).toEqual({ first_response_at: T0 + 300_000, answer_visibility: 'both' });
    await store.db.transaction((tx) => recordFirstResponse(tx, { interactionId, at: T0 + 600_000, visibility: 'public' }));
    expect(await read()).toEqual({ first_response_at: T0 + 300_000, answer_visibility: 'both' });
    expect(await failure(store.db.transaction((tx) => recordFirstResponse(tx, { interactionId: 999, at: T0, visibility: 'public' })))).toEqual({
      code: 'not_found',
      message: 'there is no interaction 999',
    });
  });
});
