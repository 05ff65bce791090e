/**
 * The rules tester: what the desk would decide for a message, exactly as `evaluate` decides it for
 * live traffic (same compiled rules, same sentiment, same safety checks), with nothing sent.
 */
import { compileRuleSet, evaluate, type EvaluateInput } from './match';
import type { RuleDecision, RuleSet } from './schema';

/**
 * The decision for one message under `ruleSet` (a parsed rule set: see parseRuleSet). The input
 * is `RuleTestInput` (schema.ts) when it comes from the console.
 */
export function explainRule(ruleSet: RuleSet, input: EvaluateInput): RuleDecision {
  return evaluate(compileRuleSet(ruleSet), input);
}
