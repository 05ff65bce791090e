// Simulated customers: one action on demand, or a schedule (steady trickle, storm, overnight
// backlog). Deterministic for a seed: the same calls in the same order make the same people
// say the same things.
import type { Personas, Persona } from './personas';
import type { Random } from './random';
import { generateText } from './texts';
import type { Clock } from './types';
import type { CustomerKind, FbComment, PostedItem, World } from './world';

export const CUSTOMER_KINDS: readonly CustomerKind[] = ['x.mention', 'x.reply', 'x.dm', 'facebook.post', 'facebook.comment', 'facebook.reply', 'messenger.message'];

/** The usual mix of a care desk's inbound traffic. */
export const DEFAULT_MIX: Readonly<Record<CustomerKind, number>> = {
  'x.mention': 30,
  'x.reply': 10,
  'x.dm': 15,
  'facebook.post': 4,
  'facebook.comment': 20,
  'facebook.reply': 6,
  'messenger.message': 15,
};

export interface CustomerEvent {
  kind: CustomerKind;
  text?: string;
  /** A stable customer key; a key ending in ':es' (etc.) makes a customer who writes in that language. */
  customer?: string;
  at?: number;
  /** What to answer: x.reply -> a tweet id; facebook.comment -> a post id; facebook.reply -> a comment id (default: chosen by the sandbox). */
  target?: string;
}

export type ScheduleKind = 'steady' | 'storm' | 'backlog';

export interface ScheduleOptions {
  /** How many messages (steady: unbounded by default; storm: 5000; backlog: 1000). */
  count?: number;
  /** steady: 0.5/s by default; storm: 1000/s. */
  ratePerSecond?: number;
  /** Stop after this long (steady, storm). */
  durationMs?: number;
  /** backlog: how far back the messages go (default 12 hours). */
  spreadMs?: number;
  /** Which kinds, with weights (default: the usual mix). */
  mix?: Partial<Record<CustomerKind, number>>;
}

export interface ScheduleHandle {
  stop(): void;
  /** Resolves with how many messages the schedule made, once it ends or is stopped. */
  done: Promise<number>;
}

export class Customers {
  private readonly schedules = new Set<{ stop(): void }>();

  constructor(
    private readonly world: World,
    private readonly personas: Personas,
    private readonly random: Random,
    private readonly clock: Clock,
    private readonly onPosted: (item: PostedItem) => void = () => undefined,
  ) {}

  private pickPersona(customer: string | undefined): Persona {
    if (customer !== undefined) return this.personas.get(customer);
    return this.random.pick(this.personas.pool);
  }

  /** Makes one customer act; returns the platform id of what they posted and their id there. */
  post(event: CustomerEvent): { id: string; authorId: string } {
    const persona = this.pickPersona(event.customer);
    const at = event.at ?? this.clock.now();
    const world = this.world;
    const handle = `@${world.brand.username}`;
    const platform = event.kind.startsWith('x.') ? 'x' : event.kind === 'messenger.message' ? 'messenger' : 'facebook';
    let textValue = event.text;
    let lang: string = persona.lang;
    if (textValue === undefined) {
      const mention = event.kind === 'x.mention' || event.kind === 'x.reply' ? handle : undefined;
      const generated = generateText(this.random, { platform, lang: persona.lang, ...(mention ? { mention } : {}) });
      textValue = generated.text;
      lang = generated.lang;
    } else if ((event.kind === 'x.mention' || event.kind === 'x.reply') && !textValue.toLowerCase().includes(handle.toLowerCase())) {
      textValue = `${handle} ${textValue}`;
    }
    let id: string;
    let authorId: string;
    switch (event.kind) {
      case 'x.mention': {
        const user = world.ensureXUser(persona);
        id = world.createTweet({ authorId: user.id, text: textValue, at, lang }).id;
        authorId = user.id;
        break;
      }
      case 'x.reply': {
        const user = world.ensureXUser(persona);
        const target = event.target !== undefined ? world.tweets.get(event.target) : world.replyTargetFor(user.id, at);
        if (!target) throw new Error(`x.reply: no tweet ${event.target ?? ''} to reply to.`);
        id = world.createTweet({ authorId: user.id, text: textValue, at, replyTo: target, lang }).id;
        authorId = user.id;
        break;
      }
      case 'x.dm': {
        const user = world.ensureXUser(persona);
        id = world.createDm({ senderId: user.id, recipientId: world.brand.id, text: textValue, at }).id;
        authorId = user.id;
        break;
      }
      case 'facebook.post': {
        const profile = world.ensureFbProfile(persona);
        id = world.createPost({ fromId: profile.id, message: textValue, at }).id;
        authorId = profile.id;
        break;
      }
      case 'facebook.comment': {
        const profile = world.ensureFbProfile(persona);
        const node = event.target !== undefined ? world.nodes.get(event.target) : undefined;
        if (event.target !== undefined && node?.type !== 'post') throw new Error(`facebook.comment: no post ${event.target}.`);
        const post = node?.type === 'post' ? node.post : world.commentTargetFor(at);
        id = world.createComment({ post, fromId: profile.id, message: textValue, at }).id;
        authorId = profile.id;
        break;
      }
      case 'facebook.reply': {
        const profile = world.ensureFbProfile(persona);
        let parent: FbComment;
        if (event.target !== undefined) {
          const node = world.nodes.get(event.target);
          if (node?.type !== 'comment') throw new Error(`facebook.reply: no comment ${event.target}.`);
          const top = node.comment.parentId ? world.nodes.get(node.comment.parentId) : node;
          parent = top?.type === 'comment' ? top.comment : node.comment;
        } else parent = world.replyTargetForComment(profile.id, at);
        const postNode = world.nodes.get(parent.postId);
        if (postNode?.type !== 'post') throw new Error(`comment ${parent.id} has no post`);
        id = world.createComment({ post: postNode.post, parent, fromId: profile.id, message: textValue, at }).id;
        authorId = profile.id;
        break;
      }
      case 'messenger.message': {
        const profile = world.ensureFbProfile(persona);
        id = world.createMessage({ customerId: profile.id, fromCustomer: true, text: textValue, at }).id;
        authorId = profile.id;
        break;
      }
      default:
        throw new Error(`Unknown customer event kind: ${String((event as { kind: unknown }).kind)}. Use one of ${CUSTOMER_KINDS.join(', ')}.`);
    }
    const item: PostedItem = { platform, kind: event.kind, id, authorId, text: textValue, at, lang, customer: persona.key };
    world.posted.push(item);
    this.onPosted(item);
    return { id, authorId };
  }

  private pickKind(mix: Partial<Record<CustomerKind, number>> | undefined): CustomerKind {
    const weights = mix ? (Object.fromEntries(Object.entries(mix).filter(([, w]) => (w ?? 0) > 0)) as Record<CustomerKind, number>) : DEFAULT_MIX;
    if (Object.keys(weights).length === 0) throw new Error('schedule mix has no kind with a weight above 0');
    return this.random.weighted(weights);
  }

  schedule(kind: ScheduleKind, options: ScheduleOptions = {}): ScheduleHandle {
    for (const k of Object.keys(options.mix ?? {})) if (!CUSTOMER_KINDS.includes(k as CustomerKind)) throw new Error(`Unknown kind in mix: ${k}`);
    if (kind === 'backlog') return this.backlog(options);
    if (kind === 'steady') return this.timed(options.ratePerSecond ?? 0.5, options.count ?? Infinity, options.durationMs ?? Infinity, options.mix, true);
    if (kind === 'storm') return this.timed(options.ratePerSecond ?? 1000, options.count ?? (options.durationMs ? Infinity : 5000), options.durationMs ?? Infinity, options.mix, false);
    throw new Error(`Unknown schedule: ${String(kind)}. Use steady, storm or backlog.`);
  }

  /** Messages that arrived while the desk was off: timestamps spread over the past, made at once (in chunks). */
  private backlog(options: ScheduleOptions): ScheduleHandle {
    const count = Math.max(0, Math.floor(options.count ?? 1000));
    const spread = options.spreadMs ?? 12 * 3_600_000;
    const now = this.clock.now();
    const times: number[] = [];
    for (let i = 0; i < count; i++) times.push(now - 1000 - Math.floor(this.random.next() * spread));
    times.sort((a, b) => a - b);
    let stopped = false;
    let made = 0;
    const handle = { stop: (): void => void (stopped = true) };
    this.schedules.add(handle);
    const done = new Promise<number>((resolve) => {
      const step = (): void => {
        const end = Math.min(count, made + 5000);
        while (!stopped && made < end) {
          this.post({ kind: this.pickKind(options.mix), at: times[made] as number });
          made++;
        }
        if (stopped || made >= count) {
          this.schedules.delete(handle);
          resolve(made);
        } else setImmediate(step);
      };
      step();
    });
    return { stop: handle.stop, done };
  }

  /** A steady trickle (random gaps around the rate) or a storm (as close to the rate as the loop allows). */
  private timed(rate: number, count: number, durationMs: number, mix: ScheduleOptions['mix'], jitter: boolean): ScheduleHandle {
    if (!(rate > 0)) throw new Error('ratePerSecond must be above 0');
    let made = 0;
    let timer: NodeJS.Timeout | undefined;
    let finish: (n: number) => void = () => undefined;
    const started = performance.now();
    const handle = {
      stop: (): void => {
        if (timer) clearTimeout(timer);
        timer = undefined;
        this.schedules.delete(handle);
        finish(made);
      },
    };
    this.schedules.add(handle);
    const done = new Promise<number>((resolve) => {
      finish = resolve;
    });
    const finished = (): boolean => made >= count || performance.now() - started >= durationMs;
    if (jitter) {
      const next = (): void => {
        if (finished()) return handle.stop();
        this.post({ kind: this.pickKind(mix) });
        made++;
        if (finished()) return handle.stop();
        const gap = (-Math.log(1 - this.random.next()) * 1000) / rate;
        timer = setTimeout(next, Math.min(gap, 60_000));
      };
      timer = setTimeout(next, Math.min((-Math.log(1 - this.random.next()) * 1000) / rate, 60_000));
    } else {
      const tick = (): void => {
        const elapsed = performance.now() - started;
        const due = Math.min(count, Math.floor((elapsed * rate) / 1000) + 1);
        while (made < due && !(performance.now() - started >= durationMs)) {
          this.post({ kind: this.pickKind(mix) });
          made++;
        }
        if (finished()) return handle.stop();
        timer = setTimeout(tick, 10);
      };
      tick();
    }
    return { stop: handle.stop, done };
  }

  stopAll(): void {
    for (const s of [...this.schedules]) s.stop();
  }
}
