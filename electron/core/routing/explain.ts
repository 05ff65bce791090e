/**
 * Why this agent: every assignment carries a sentence a supervisor can read and the facts behind it.
 *
 *   "Ana: billing 8 ≥ 6, idle 14 min, 1 of 3 public slots used"
 *   "Ana: billing 5 ≥ 4, idle 3 min, 0 of 2 private slots used (overflow step 1 after 5 min waiting: billing 6→4)"
 *   "Ana: member of dm-team, idle 40 s, 1 of 2 private slots used"
 *   "Ana: moved here by Sam, idle 2 min, 0 of 2 private slots used"
 *
 * Slots are counted before this assignment; idle is the time since the agent last became ready,
 * was offered work or finished some.
 */
import type { AssignmentReason } from './schema';
import type { RoutedAgent, RoutedEntry } from './select';

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** The facts: what the agent met, how long idle, how full. */
export function assignmentReason(entry: RoutedEntry, agent: RoutedAgent, now: number, movedBy: string | null): AssignmentReason {
  const target = entry.target;
  const configured = target.steps[0]!.needs;
  const needs = movedBy === null ? target.steps[entry.step]!.needs : configured;
  const skills = needs.map((need) => ({
    skill: need.skill,
    level: agent.skills.get(need.skill) ?? 0,
    minLevel: need.minLevel,
    configuredMinLevel: configured.find((c) => c.skill === need.skill)?.minLevel ?? need.minLevel,
  }));
  const kept = new Set(needs.map((need) => need.skill));
  return {
    skills,
    droppedSkills: configured.filter((need) => !kept.has(need.skill)).map((need) => need.skill),
    overflowStep: movedBy === null ? entry.step : 0,
    group: target.group,
    idleMs: Math.max(0, now - agent.idleSince),
    slotsUsed: agent.load[entry.kind],
    slots: agent.capacity[entry.kind],
    movedBy,
  };
}

/** The sentence. */
export function explain(agentName: string, why: AssignmentReason, entry: RoutedEntry): string {
  const parts: string[] = [];
  if (why.movedBy !== null) parts.push(`moved here by ${why.movedBy}`);
  else if (why.group !== null) parts.push(`member of ${why.group}`);
  else if (why.skills.length === 0) parts.push('no skills required');
  else parts.push(why.skills.map((s) => `${s.skill} ${s.level} ≥ ${s.minLevel}`).join(', '));
  parts.push(`idle ${formatDuration(why.idleMs)}`);
  parts.push(`${why.slotsUsed} of ${why.slots} ${entry.kind} ${why.slots === 1 ? 'slot' : 'slots'} used`);
  let text = `${agentName}: ${parts.join(', ')}`;
  if (why.overflowStep > 0) {
    const changes = [
      ...why.skills.filter((s) => s.minLevel !== s.configuredMinLevel).map((s) => `${s.skill} ${s.configuredMinLevel}→${s.minLevel}`),
      ...why.droppedSkills.map((skill) => `${skill} dropped`),
    ];
    const after = entry.target.steps[why.overflowStep]?.afterMs ?? 0;
    text += ` (overflow step ${why.overflowStep} after ${formatDuration(after)} waiting: ${changes.join(', ')})`;
  }
  return text;
}
