// The simulated customers: a deterministic pool, plus one persona per named customer key.
import { hashString, Random } from './random';
import { LANGUAGES, pickLanguage, type Language } from './texts';

export interface Persona {
  /** Stable key ("c17", or the key a test chose). */
  key: string;
  name: string;
  /** X handle, without @. */
  username: string;
  lang: Language;
  xUserId: string;
  /** Page-scoped id: the commenter's `from.id` on the Page and the Messenger PSID. */
  facebookId: string;
  /** Whether the person accepts X direct messages from accounts they do not follow. */
  acceptsDms: boolean;
  verified: boolean;
  followers: number;
  following: number;
  tweetCount: number;
  location: string;
  description: string;
  accountCreatedAt: number;
}

const FIRST: Record<Language, readonly string[]> = {
  en: ['Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'James', 'Sophia', 'Jack', 'Mia', 'Harry', 'Grace', 'Ethan'],
  es: ['Lucía', 'Mateo', 'Sofía', 'Hugo', 'Martina', 'Pablo', 'Valentina', 'Diego'],
  fr: ['Camille', 'Louis', 'Léa', 'Gabriel', 'Chloé', 'Jules', 'Manon', 'Hugo'],
  de: ['Lena', 'Lukas', 'Hannah', 'Felix', 'Mia', 'Jonas', 'Lea', 'Paul'],
  pt: ['Ana', 'João', 'Beatriz', 'Pedro', 'Mariana', 'Tiago', 'Inês', 'Rafael'],
  ar: ['محمد', 'فاطمة', 'أحمد', 'مريم', 'علي', 'نور', 'Omar', 'Layla'],
  it: ['Giulia', 'Marco', 'Chiara', 'Luca', 'Francesca', 'Matteo'],
};
const LAST: Record<Language, readonly string[]> = {
  en: ['Smith', 'Johnson', 'Brown', 'Taylor', 'Wilson', 'Davies', 'Evans', "O'Neill", 'Clarke', 'Walker'],
  es: ['García', 'Martínez', 'López', 'Sánchez', 'Pérez', 'Gómez', 'Fernández'],
  fr: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Petit', 'Lefèvre'],
  de: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner'],
  pt: ['Silva', 'Santos', 'Oliveira', 'Souza', 'Costa', 'Pereira', 'Almeida'],
  ar: ['الحسن', 'العلي', 'Haddad', 'Khalil', 'Nasser', 'Saleh'],
  it: ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano'],
};
const PLACES = ['London', 'Madrid', 'Paris', 'Berlin', 'Lisboa', 'Cairo', 'Roma', 'New York', 'Toronto', 'São Paulo', '', '', ''];
const BIOS = ['Coffee first.', 'Dad of two. Opinions my own.', 'Runner 🏃', 'Tech, music, football', '', '', 'Small business owner', 'she/her'];

function ascii(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^A-Za-z0-9]/g, '');
}

export function makePersona(key: string, random: Random, lang?: Language): Persona {
  const language = lang ?? pickLanguage(random);
  const first = random.pick(FIRST[language]);
  const last = random.pick(LAST[language]);
  const handleBase = ascii(first + last) || `user${random.digits(4)}`;
  const username = (random.chance(0.5) ? handleBase : `${handleBase.slice(0, 8)}_${random.digits(3)}`).slice(0, 15);
  return {
    key,
    name: random.chance(0.1) ? `${first} ${last} ${random.pick(['✨', '🌍', '⚽', '🎧'])}` : `${first} ${last}`,
    username,
    lang: language,
    xUserId: random.digits(random.pick([9, 10, 18, 19])),
    facebookId: random.digits(16),
    acceptsDms: random.chance(0.85),
    verified: random.chance(0.03),
    followers: Math.floor(Math.exp(random.next() * 9)),
    following: random.int(10, 2000),
    tweetCount: random.int(5, 40000),
    location: random.pick(PLACES),
    description: random.pick(BIOS),
    accountCreatedAt: Date.UTC(2009, 0, 1) + Math.floor(random.next() * 15 * 365 * 86_400_000),
  };
}

/** The customers: a seeded pool, and personas made on demand for explicit keys. */
export class Personas {
  private readonly byKey = new Map<string, Persona>();
  private readonly byXId = new Map<string, Persona>();
  private readonly byFacebookId = new Map<string, Persona>();
  private readonly usernames = new Set<string>();
  readonly pool: Persona[] = [];

  constructor(
    private readonly seed: number,
    poolSize: number,
    reserved: { usernames: string[] },
  ) {
    for (const name of reserved.usernames) this.usernames.add(name.toLowerCase());
    const random = new Random(seed ^ 0x5eed);
    for (let i = 0; i < poolSize; i++) {
      const personaRandom = random.fork(`c${i + 1}`);
      let persona = makePersona(`c${i + 1}`, personaRandom);
      while (this.byXId.has(persona.xUserId) || this.byFacebookId.has(persona.facebookId)) persona = makePersona(`c${i + 1}`, personaRandom);
      this.pool.push(this.add(persona));
    }
  }

  private add(persona: Persona): Persona {
    let username = persona.username;
    for (let n = 2; this.usernames.has(username.toLowerCase()); n++) username = `${persona.username.slice(0, 12)}${n}`;
    const unique = { ...persona, username };
    this.usernames.add(username.toLowerCase());
    this.byKey.set(unique.key, unique);
    this.byXId.set(unique.xUserId, unique);
    this.byFacebookId.set(unique.facebookId, unique);
    return unique;
  }

  /** The persona for a key; a new key gets a persona derived from the seed and the key. */
  get(key: string): Persona {
    const known = this.byKey.get(key);
    if (known) return known;
    const random = new Random((this.seed ^ hashString(key)) >>> 0);
    const lang = LANGUAGES.find((l) => key.endsWith(`:${l}`));
    let persona = makePersona(key, random, lang);
    while (this.byXId.has(persona.xUserId) || this.byFacebookId.has(persona.facebookId)) persona = makePersona(key, random, lang);
    return this.add(persona);
  }

  byX(id: string): Persona | undefined {
    return this.byXId.get(id);
  }

  byFacebook(id: string): Persona | undefined {
    return this.byFacebookId.get(id);
  }

  all(): IterableIterator<Persona> {
    return this.byKey.values();
  }
}
