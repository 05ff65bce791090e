/**
 * The rules stage: holds the saved rule set and decides, for each new interaction, what the
 * rules say (R2, R12-R14). Being built.
 */
export class RulesStage {}
