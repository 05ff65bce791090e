export interface BenchResult {
  bench: string;
  /** One sentence for a person. */
  summary: string;
  /** Printed as the final JSON line, for tools. */
  figures: Record<string, number | string>;
}
