/**
 * How long a reply is, as the platform counts it: X posts by weighted length (twitter-text, the
 * same package the desk checks with: most non-Latin characters and emoji count twice, links 23),
 * everything else in Unicode code points. The desk is the judge when sending; this is what the
 * agent sees while typing.
 */
import twitterText from 'twitter-text';
import type { ReplyChannel } from '../../../electron/core/contract';

export interface LengthReading {
  readonly length: number;
  readonly max: number;
  readonly over: boolean;
  /** Within the last tenth of the limit. */
  readonly near: boolean;
  /** "87 / 280" */
  readonly text: string;
  /** For screen readers and the tooltip: "87 of 280 characters as X counts them". */
  readonly description: string;
}

export function replyLength(text: string, rule: ReplyChannel['lengthRule']): number {
  if (rule === 'x-weighted') return twitterText.parseTweet(text).weightedLength;
  return [...text].length;
}

export function readLength(text: string, rule: ReplyChannel['lengthRule'], max: number): LengthReading {
  const length = replyLength(text, rule);
  const unit = rule === 'x-weighted' ? 'characters as X counts them' : 'characters';
  return {
    length,
    max,
    over: length > max,
    near: length <= max && length >= max * 0.9,
    text: `${length.toLocaleString('en-GB')} / ${max.toLocaleString('en-GB')}`,
    description: `${length.toLocaleString('en-GB')} of ${max.toLocaleString('en-GB')} ${unit}`,
  };
}
