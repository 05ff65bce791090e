/**
 * Create or change an agent: name, skills with levels 1-10 (rows to add and remove), groups (as
 * tags) and capacity per kind of work (0-20 public threads, 0-20 private chats). The desk checks
 * the whole agent; its refusal is shown in the dialog word for word and nothing is saved.
 */
import { useId, useState, type FormEvent } from 'react';
import { MAX_CAPACITY, SKILL_LEVEL_MAX, SKILL_LEVEL_MIN, type Agent, type AgentInput } from '../../../electron/core/contract';
import { PlusIcon, TrashIcon } from '../app/icons';
import { SaveFormModal, useDeskSave } from '../app/SaveFormModal';
import { ChipInput } from '../rules/ChipInput';
import { useDeskClient } from '../state/hooks';

interface SkillRow {
  readonly key: number;
  readonly skill: string;
  readonly level: string;
}

export interface AgentDraft {
  readonly id: number | null;
  readonly name: string;
  readonly skills: readonly SkillRow[];
  readonly groups: readonly string[];
  readonly publicCapacity: string;
  readonly privateCapacity: string;
}

let nextRowKey = 1;

export function agentDraftOf(agent: Agent | null): AgentDraft {
  return {
    id: agent?.id ?? null,
    name: agent?.name ?? '',
    skills: Object.entries(agent?.skills ?? {}).map(([skill, level]) => ({ key: nextRowKey++, skill, level: String(level) })),
    groups: agent?.groups ?? [],
    publicCapacity: String(agent?.capacity.public ?? 3),
    privateCapacity: String(agent?.capacity.private ?? 2),
  };
}

/** A number as typed; an empty field goes to the desk as nothing (null), and is refused there. */
function numberOf(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

/** The input, or the one thing JSON cannot carry: the same skill on two rows. */
function inputOf(draft: AgentDraft): { input: AgentInput } | { problem: string } {
  const skills: Record<string, number> = {};
  for (const row of draft.skills) {
    const name = row.skill.trim().toLowerCase();
    if (Object.prototype.hasOwnProperty.call(skills, name)) {
      return { problem: name === '' ? 'Two skill rows have no name: name them or remove them.' : `The skill "${name}" is on two rows: keep one.` };
    }
    skills[name] = numberOf(row.level);
  }
  return {
    input: {
      ...(draft.id !== null ? { id: draft.id } : {}),
      name: draft.name,
      skills,
      groups: [...draft.groups],
      capacity: { public: numberOf(draft.publicCapacity), private: numberOf(draft.privateCapacity) },
    },
  };
}

export interface AgentFormProps {
  readonly initial: AgentDraft;
  readonly skillNames: readonly string[];
  readonly groupNames: readonly string[];
  onSaved(agent: Agent): void;
  onClose(): void;
}

export function AgentForm({ initial, skillNames, groupNames, onSaved, onClose }: AgentFormProps) {
  const client = useDeskClient();
  const ids = useId();
  const [draft, setDraft] = useState(initial);
  const { busy, refusal, setRefusal, save } = useDeskSave(onSaved);
  const edit = (patch: Partial<AgentDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const editRow = (key: number, patch: Partial<SkillRow>) => edit({ skills: draft.skills.map((r) => (r.key === key ? { ...r, ...patch } : r)) });

  const submit = (event?: FormEvent<HTMLFormElement>): void => {
    event?.preventDefault();
    const built = inputOf(draft);
    if ('problem' in built) {
      setRefusal(built.problem);
      return;
    }
    save(() => client.saveAgent(built.input));
  };

  return (
    <SaveFormModal
      name="agent"
      title={draft.id === null ? 'New agent' : `Agent ${initial.name}`}
      saveLabel={draft.id === null ? 'Create agent' : 'Save agent'}
      busy={busy}
      refusal={refusal}
      onClose={onClose}
      onSubmit={submit}
    >
        <div className="field">
          <label htmlFor={`${ids}-name`}>Name</label>
          <input id={`${ids}-name`} type="text" value={draft.name} maxLength={120} autoComplete="off" onChange={(e) => edit({ name: e.target.value })} data-testid="agent-name" />
        </div>
        <fieldset className="field">
          <legend>Skills</legend>
          <p className="field-hint">
            Levels from {SKILL_LEVEL_MIN} (beginner) to {SKILL_LEVEL_MAX} (expert). Queues ask for skills at a minimum level.
          </p>
          {draft.skills.length > 0 && (
            <ul className="skill-rows">
              {draft.skills.map((row, index) => (
                <li key={row.key} className="skill-row">
                  <label className="visually-hidden" htmlFor={`${ids}-skill-${row.key}`}>
                    Skill {index + 1}
                  </label>
                  <input id={`${ids}-skill-${row.key}`} type="text" className="text-input" value={row.skill} list={`${ids}-skills`} placeholder="skill, e.g. billing" onChange={(e) => editRow(row.key, { skill: e.target.value })} data-testid="agent-skill-name" />
                  <label className="skill-level-label" htmlFor={`${ids}-level-${row.key}`}>
                    level
                  </label>
                  <input id={`${ids}-level-${row.key}`} type="number" className="number-input" min={SKILL_LEVEL_MIN} max={SKILL_LEVEL_MAX} step={1} value={row.level} onChange={(e) => editRow(row.key, { level: e.target.value })} data-testid="agent-skill-level" />
                  <button type="button" className="icon-button" aria-label={`Remove ${row.skill || 'this skill'}`} onClick={() => edit({ skills: draft.skills.filter((r) => r.key !== row.key) })}>
                    <TrashIcon size={16} />
                  </button>
                </li>
              ))}
            </ul>
          )}
          <datalist id={`${ids}-skills`}>
            {skillNames.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
          <div>
            <button type="button" className="button button-secondary button-small" onClick={() => edit({ skills: [...draft.skills, { key: nextRowKey++, skill: '', level: '5' }] })} data-testid="agent-add-skill">
              <PlusIcon size={15} /> Add a skill
            </button>
          </div>
        </fieldset>
        <div className="field">
          <ChipInput label="Groups" values={draft.groups} suggestions={groupNames} placeholder="Type a group and press Enter" hint="Rules can route to a group, e.g. X direct messages to dm-team." onChange={(groups) => edit({ groups })} testId="agent-groups" />
        </div>
        <fieldset className="field">
          <legend>Capacity</legend>
          <p className="field-hint">How much the agent holds at once, offered or accepted: 0 to {MAX_CAPACITY} of each; 0 means none of that kind.</p>
          <span className="capacity-fields">
            <span className="inline-fields">
              <label htmlFor={`${ids}-public`}>Public threads</label>
              <input id={`${ids}-public`} type="number" className="number-input" min={0} max={MAX_CAPACITY} value={draft.publicCapacity} onChange={(e) => edit({ publicCapacity: e.target.value })} data-testid="agent-capacity-public" />
              <span>X replies and mentions, Page posts and comments</span>
            </span>
            <span className="inline-fields">
              <label htmlFor={`${ids}-private`}>Private chats</label>
              <input id={`${ids}-private`} type="number" className="number-input" min={0} max={MAX_CAPACITY} value={draft.privateCapacity} onChange={(e) => edit({ privateCapacity: e.target.value })} data-testid="agent-capacity-private" />
              <span>X direct messages, Messenger</span>
            </span>
          </span>
        </fieldset>
    </SaveFormModal>
  );
}
