/**
 * The rules: keyword matching, sentiment and the strategies (R2, R12-R14). For each inbound
 * message, the first rule by priority that matches and can act decides; the decision says why.
 *
 * schema.ts is zod only (with the pure folding of normalize.ts) and may be re-exported by the
 * contract; the rest runs in the core.
 */
export * from './schema';
export { foldAccents, languageOf, normalizeKeyword, normalizeText, type KeywordForm, type NormalizedKeyword, type NormalizedText, type TokenKind } from './normalize';
export {
  NEGATIVE_AT,
  POSITIVE_AT,
  analyzeSentiment,
  checkAutoLike,
  checkDailyCap,
  deskSentiment,
  effectiveLanguage,
  guessLanguage,
  labelOf,
  sentimentView,
  type AutoLikeInput,
  type SentimentAnalysis,
  type SentimentResult,
  type SentimentScorer,
} from './sentiment';
export { compileRuleSet, evaluate, type CompiledRuleSet, type EvaluateInput } from './match';
export { explainRule } from './tester';
export { deleteRule, describeRuleSetIssues, parseRuleSet, ruleSetWarnings, type RuleSetContext } from './validate';
export { DEFAULT_QUEUE, DM_GROUP, defaultRuleSet, type DefaultRuleSetOptions } from './defaults';
