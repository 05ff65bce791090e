/**
 * Queue administration: each queue's required skills (most important first, with minimum
 * levels), priority, service-level target and overflow, and a dialog to create or change one.
 * The desk checks the whole queue; a refusal is shown in the dialog, word for word, and nothing
 * is saved.
 */
import { useId, useState, type FormEvent } from 'react';
import { DEFAULT_OVERFLOW, DEFAULT_PRIORITY, DEFAULT_SERVICE_LEVEL, type Queue, type QueueInput } from '../../../electron/core/contract';
import { ArrowDownIcon, ArrowUpIcon, PencilIcon, PlusIcon, TrashIcon } from '../app/icons';
import { SaveFormModal, useDeskSave } from '../app/SaveFormModal';
import { useDeskClient } from '../state/hooks';
import { describeOverflow, describeServiceLevel, describeSkills } from './model';

interface SkillRow {
  readonly key: number;
  readonly skill: string;
  readonly level: string;
}

interface QueueDraft {
  readonly id: number | null;
  readonly name: string;
  readonly skills: readonly SkillRow[];
  readonly priority: string;
  readonly percent: string;
  readonly withinMinutes: string;
  readonly overflowOn: boolean;
  readonly afterMinutes: string;
  readonly everyMinutes: string;
  readonly levelDrop: string;
}

let nextRowKey = 1;

const minutesOf = (ms: number): string => String(Math.round((ms / 60_000) * 100) / 100);

function draftOf(queue: Queue | null): QueueDraft {
  const overflow = queue === null ? DEFAULT_OVERFLOW : (queue.overflow ?? DEFAULT_OVERFLOW);
  return {
    id: queue?.id ?? null,
    name: queue?.name ?? '',
    skills: (queue?.skills ?? []).map((s) => ({ key: nextRowKey++, skill: s.skill, level: String(s.minLevel) })),
    priority: String(queue?.priority ?? DEFAULT_PRIORITY),
    percent: String(queue?.serviceLevel.percent ?? DEFAULT_SERVICE_LEVEL.percent),
    withinMinutes: minutesOf(queue?.serviceLevel.withinMs ?? DEFAULT_SERVICE_LEVEL.withinMs),
    overflowOn: queue === null ? true : queue.overflow !== null,
    afterMinutes: minutesOf(overflow.afterMs),
    everyMinutes: minutesOf(overflow.everyMs),
    levelDrop: String(overflow.levelDrop),
  };
}

/** A number as typed; an empty field goes to the desk as nothing (null), and is refused there. */
function numberOf(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

function msOf(minutes: string): number {
  const n = numberOf(minutes);
  return Number.isFinite(n) ? Math.round(n * 60_000) : n;
}

function inputOf(draft: QueueDraft): QueueInput {
  return {
    ...(draft.id !== null ? { id: draft.id } : {}),
    name: draft.name,
    skills: draft.skills.map((row) => ({ skill: row.skill, minLevel: numberOf(row.level) })),
    priority: numberOf(draft.priority),
    serviceLevel: { percent: numberOf(draft.percent), withinMs: msOf(draft.withinMinutes) },
    overflow: draft.overflowOn ? { afterMs: msOf(draft.afterMinutes), everyMs: msOf(draft.everyMinutes), levelDrop: numberOf(draft.levelDrop) } : null,
  };
}

function QueueForm({ initial, skillNames, onSaved, onClose }: { initial: QueueDraft; skillNames: readonly string[]; onSaved(queue: Queue): void; onClose(): void }) {
  const client = useDeskClient();
  const ids = useId();
  const [draft, setDraft] = useState(initial);
  const { busy, refusal, save } = useDeskSave(onSaved);
  const edit = (patch: Partial<QueueDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const editRow = (key: number, patch: Partial<SkillRow>) => edit({ skills: draft.skills.map((r) => (r.key === key ? { ...r, ...patch } : r)) });
  const moveRow = (index: number, by: -1 | 1) => {
    const rows = [...draft.skills];
    const [row] = rows.splice(index, 1);
    if (row === undefined) return;
    rows.splice(index + by, 0, row);
    edit({ skills: rows });
  };

  const submit = (event?: FormEvent<HTMLFormElement>): void => {
    event?.preventDefault();
    save(() => client.saveQueue(inputOf(draft)));
  };

  return (
    <SaveFormModal
      name="queue"
      title={draft.id === null ? 'New queue' : `Queue ${initial.name}`}
      saveLabel={draft.id === null ? 'Create queue' : 'Save queue'}
      busy={busy}
      refusal={refusal}
      onClose={onClose}
      onSubmit={submit}
    >
        <div className="field">
          <label htmlFor={`${ids}-name`}>Name</label>
          <input id={`${ids}-name`} type="text" value={draft.name} maxLength={120} autoComplete="off" onChange={(e) => edit({ name: e.target.value })} data-testid="queue-name" />
          <p className="field-hint">Rules route to a queue by this name.</p>
        </div>
        <fieldset className="field">
          <legend>Required skills</legend>
          <p className="field-hint">Most important first: overflow drops the last one first and never the first. An agent needs every skill at its minimum level. None: any agent.</p>
          {draft.skills.length > 0 && (
            <ol className="skill-rows">
              {draft.skills.map((row, index) => (
                <li key={row.key} className="skill-row">
                  <span className="skill-rank" aria-hidden="true">
                    {index + 1}
                  </span>
                  <label className="visually-hidden" htmlFor={`${ids}-skill-${row.key}`}>
                    Skill {index + 1}
                  </label>
                  <input id={`${ids}-skill-${row.key}`} type="text" className="text-input" value={row.skill} list={`${ids}-skills`} placeholder="skill" onChange={(e) => editRow(row.key, { skill: e.target.value })} data-testid="queue-skill-name" />
                  <label className="skill-level-label" htmlFor={`${ids}-level-${row.key}`}>
                    at least
                  </label>
                  <input id={`${ids}-level-${row.key}`} type="number" className="number-input" min={1} max={10} step={1} value={row.level} onChange={(e) => editRow(row.key, { level: e.target.value })} data-testid="queue-skill-level" />
                  <button type="button" className="icon-button" aria-label={`Move ${row.skill || 'this skill'} up`} disabled={index === 0} onClick={() => moveRow(index, -1)}>
                    <ArrowUpIcon size={16} />
                  </button>
                  <button type="button" className="icon-button" aria-label={`Move ${row.skill || 'this skill'} down`} disabled={index === draft.skills.length - 1} onClick={() => moveRow(index, 1)}>
                    <ArrowDownIcon size={16} />
                  </button>
                  <button type="button" className="icon-button" aria-label={`Remove ${row.skill || 'this skill'}`} onClick={() => edit({ skills: draft.skills.filter((r) => r.key !== row.key) })}>
                    <TrashIcon size={16} />
                  </button>
                </li>
              ))}
            </ol>
          )}
          <datalist id={`${ids}-skills`}>
            {skillNames.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
          <div>
            <button type="button" className="button button-secondary button-small" onClick={() => edit({ skills: [...draft.skills, { key: nextRowKey++, skill: '', level: '5' }] })} data-testid="queue-add-skill">
              <PlusIcon size={15} /> Add a skill
            </button>
          </div>
        </fieldset>
        <div className="admin-grid">
          <div className="field">
            <label htmlFor={`${ids}-priority`}>Priority</label>
            <input id={`${ids}-priority`} type="number" className="number-input" min={0} max={100} value={draft.priority} onChange={(e) => edit({ priority: e.target.value })} data-testid="queue-priority" />
            <p className="field-hint">0 to 100, higher first, for work whose rule gives none.</p>
          </div>
          <fieldset className="field">
            <legend>Service-level target</legend>
            <span className="inline-fields">
              <input type="number" className="number-input" min={1} max={100} value={draft.percent} aria-label="Percent answered" onChange={(e) => edit({ percent: e.target.value })} data-testid="queue-sl-percent" />
              <span>% accepted within</span>
              <input type="number" className="number-input" min={1} value={draft.withinMinutes} aria-label="Minutes" onChange={(e) => edit({ withinMinutes: e.target.value })} data-testid="queue-sl-minutes" />
              <span>min</span>
            </span>
          </fieldset>
        </div>
        <fieldset className="field">
          <legend>Overflow</legend>
          <label className="check-row">
            <input type="checkbox" checked={draft.overflowOn} onChange={(e) => edit({ overflowOn: e.target.checked })} data-testid="queue-overflow-on" />
            <span>Relax the skill requirement while work waits</span>
          </label>
          {draft.overflowOn && (
            <span className="inline-fields">
              <span>After</span>
              <input type="number" className="number-input" min={1} value={draft.afterMinutes} aria-label="Relax after minutes" onChange={(e) => edit({ afterMinutes: e.target.value })} />
              <span>min, then every</span>
              <input type="number" className="number-input" min={1} value={draft.everyMinutes} aria-label="Then every minutes" onChange={(e) => edit({ everyMinutes: e.target.value })} />
              <span>min, lower each minimum by</span>
              <input type="number" className="number-input" min={1} max={9} value={draft.levelDrop} aria-label="Levels dropped per step" onChange={(e) => edit({ levelDrop: e.target.value })} />
              <span>level(s)</span>
            </span>
          )}
        </fieldset>
    </SaveFormModal>
  );
}

export function QueueSetup({ queues, skillNames, onSaved }: { queues: readonly Queue[]; skillNames: readonly string[]; onSaved(queue: Queue): void }) {
  const [editing, setEditing] = useState<QueueDraft | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  return (
    <>
      <div className="card-toolbar">
        <p className="muted">Required skills, priority, service-level target and overflow for each queue.</p>
        <p className="form-status" aria-live="polite" data-testid="queue-saved">
          {saved}
        </p>
        <button type="button" className="button button-secondary button-small" onClick={() => setEditing(draftOf(null))} data-testid="queue-new">
          <PlusIcon size={15} /> New queue
        </button>
      </div>
      {queues.length === 0 ? (
        <p className="table-empty">No queues yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="table" data-testid="queue-table">
            <thead>
              <tr>
                <th scope="col">Queue</th>
                <th scope="col">Required skills</th>
                <th scope="col">Priority</th>
                <th scope="col">Service level</th>
                <th scope="col">Overflow</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {queues.map((queue) => (
                <tr key={queue.id} data-testid="queue-row">
                  <th scope="row" className="board-name">
                    {queue.name}
                  </th>
                  <td>{describeSkills(queue.skills)}</td>
                  <td>{queue.priority}</td>
                  <td>{describeServiceLevel(queue)}</td>
                  <td className="muted">{describeOverflow(queue)}</td>
                  <td className="row-actions">
                    <button type="button" className="button button-ghost button-small" onClick={() => setEditing(draftOf(queue))} aria-label={`Edit queue ${queue.name}`}>
                      <PencilIcon size={15} /> Edit
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing !== null && (
        <QueueForm
          initial={editing}
          skillNames={skillNames}
          onClose={() => setEditing(null)}
          onSaved={(queue) => {
            setEditing(null);
            setSaved(`Queue ${queue.name} saved.`);
            onSaved(queue);
          }}
        />
      )}
    </>
  );
}
