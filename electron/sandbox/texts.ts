// What the simulated customers say: complaints, questions, praise, sarcasm and small talk in
// several languages, with order numbers, emoji, links and the occasional very long message.
import type { Random } from './random';

export const LANGUAGES = ['en', 'es', 'fr', 'de', 'pt', 'ar', 'it'] as const;
export type Language = (typeof LANGUAGES)[number];
export const CATEGORIES = ['complaint', 'question', 'praise', 'sarcasm', 'chatter'] as const;
export type Category = (typeof CATEGORIES)[number];

/** {order} {product} {days} {city} {hours} are filled in. */
const CORPUS: Record<Language, Record<Category, readonly string[]>> = {
  en: {
    complaint: [
      'My {product} has been down since yesterday and nobody answers the phone. Order {order}.',
      'Third time this month the {product} stops working. I want a refund.',
      'Still waiting for my delivery, {days} days late now. Order {order}',
      'You charged me twice for the same {product}!! Fix this please',
      'Worst customer service ever. 45 minutes on hold and then the call dropped.',
      'The {product} I received is broken. Box was crushed too.',
      'Why is my bill {days}0% higher than last month? Nobody told me about a price change.',
    ],
    question: [
      'Hi, how do I change the address on order {order}?',
      'Is there an outage in {city} right now? My {product} keeps disconnecting',
      'Can I return the {product} if I already opened it?',
      'What are your opening hours on Sunday?',
      'How long does a refund usually take? Order {order}',
      'Do you ship to {city}? Could not find it on the website',
    ],
    praise: [
      'Shout out to Maria from support who fixed my {product} in 5 minutes. Thank you!',
      'Fast delivery, great packaging, love the new {product}',
      'Honestly the best support team I have dealt with this year 👏',
      'The new app update is so much better, thanks team',
      'Got my refund in {days} days, no questions asked. Impressed.',
    ],
    sarcasm: [
      'Wow, {days} days to deliver a {product}. Amazing. Truly the future. 🙃',
      'Love how my {product} works perfectly except when I need it',
      'Great, another "scheduled maintenance" in the middle of my workday. Thanks so much.',
      'Oh sure, let me just wait on hold for another hour, I have nothing else to do',
      'Five stars for the creativity of your excuses',
    ],
    chatter: [
      'Anyone else watching the game tonight?',
      'Just saw your ad on TV, nice one',
      'Following for the giveaway 🎉',
      'Is the {product} worth it? Thinking about getting one',
    ],
  },
  es: {
    complaint: [
      'Mi {product} no funciona desde ayer y nadie contesta. Pedido {order}.',
      'Llevo {days} días esperando el reembolso. ¿Qué está pasando?',
      'Me han cobrado dos veces el mismo {product}, por favor arréglenlo',
      'Pésimo servicio, una hora al teléfono para nada',
      'El paquete llegó roto y el {product} no enciende',
    ],
    question: [
      'Hola, ¿cómo puedo cambiar la dirección del pedido {order}?',
      '¿Hay alguna avería en {city}? El {product} se desconecta todo el rato',
      '¿Puedo devolver el {product} si ya lo he abierto?',
      '¿Cuál es el horario de atención el domingo?',
    ],
    praise: [
      'Gracias al equipo de soporte, me solucionaron el problema en minutos 🙌',
      'Entrega rapidísima, el {product} es genial',
      'Muy buena atención, así da gusto',
    ],
    sarcasm: [
      'Genial, {days} días para entregar un {product}. Todo un récord 🙃',
      'Me encanta pagar por un servicio que nunca funciona',
      'Qué bien, otra vez sin conexión. Gracias por tanto',
    ],
    chatter: ['¿Alguien más ha visto el anuncio nuevo? 😂', 'Sorteo! Participo 🎉', '¿Vale la pena el {product}?'],
  },
  fr: {
    complaint: [
      'Mon {product} ne marche plus depuis hier et personne ne répond. Commande {order}.',
      'Toujours pas livré, {days} jours de retard. Inadmissible.',
      'Vous m’avez facturé deux fois le même {product} !',
      'Service client catastrophique, 40 minutes d’attente pour rien',
      'Le {product} reçu est cassé, le carton était écrasé',
    ],
    question: [
      'Bonjour, comment modifier l’adresse de la commande {order} ?',
      'Y a-t-il une panne à {city} ? Mon {product} se déconnecte sans arrêt',
      'Est-il possible de retourner un {product} déjà ouvert ?',
      'Quels sont vos horaires le dimanche ?',
    ],
    praise: [
      'Merci à l’équipe support, problème réglé en cinq minutes 👍',
      'Livraison rapide, {product} parfait, rien à dire',
      'Service au top, bravo',
    ],
    sarcasm: [
      'Super, {days} jours pour livrer un {product}. Quelle efficacité 🙃',
      'J’adore payer pour un service qui ne fonctionne jamais',
      'Encore une « maintenance programmée » en pleine journée, merci beaucoup',
    ],
    chatter: ['Quelqu’un a vu la nouvelle pub ? 😄', 'Je participe au concours 🎉', 'Le {product} vaut-il le coup ?'],
  },
  de: {
    complaint: [
      'Mein {product} geht seit gestern nicht mehr und niemand geht ans Telefon. Bestellung {order}.',
      'Warte seit {days} Tagen auf meine Lieferung. Unglaublich.',
      'Ihr habt mir den {product} zweimal berechnet!',
      'Schlechtester Kundenservice überhaupt, 45 Minuten Warteschleife',
      'Der {product} kam kaputt an, der Karton war zerdrückt',
    ],
    question: [
      'Hallo, wie kann ich die Lieferadresse für Bestellung {order} ändern?',
      'Gibt es gerade eine Störung in {city}? Mein {product} verliert ständig die Verbindung',
      'Kann ich den {product} zurückgeben, wenn er schon geöffnet ist?',
      'Wie lange dauert eine Rückerstattung normalerweise?',
    ],
    praise: [
      'Danke an den Support, Problem in fünf Minuten gelöst 👍',
      'Schnelle Lieferung, der {product} ist super',
      'Top Service, gerne wieder',
    ],
    sarcasm: [
      'Toll, {days} Tage für einen {product}. Wirklich beeindruckend 🙃',
      'Ich liebe es, für einen Dienst zu zahlen, der nie funktioniert',
      'Schon wieder „Wartungsarbeiten“ mitten am Tag. Danke auch.',
    ],
    chatter: ['Hat jemand die neue Werbung gesehen? 😄', 'Bin beim Gewinnspiel dabei 🎉', 'Lohnt sich der {product}?'],
  },
  pt: {
    complaint: [
      'Meu {product} parou de funcionar ontem e ninguém atende. Pedido {order}.',
      'Estou esperando a entrega há {days} dias. Um absurdo.',
      'Fui cobrado duas vezes pelo mesmo {product}!',
      'Atendimento péssimo, uma hora no telefone e nada resolvido',
      'O {product} chegou quebrado e a caixa amassada',
    ],
    question: [
      'Olá, como altero o endereço do pedido {order}?',
      'Tem alguma falha em {city}? Meu {product} fica caindo toda hora',
      'Posso devolver o {product} se já abri a caixa?',
      'Qual é o horário de atendimento no domingo?',
    ],
    praise: [
      'Obrigado ao suporte, resolveram tudo em minutos 🙏',
      'Entrega super rápida, adorei o {product}',
      'Atendimento nota 10!',
    ],
    sarcasm: [
      'Ótimo, {days} dias para entregar um {product}. Parabéns 🙃',
      'Adoro pagar por um serviço que nunca funciona',
      'Mais uma "manutenção programada" no meio do expediente. Valeu mesmo.',
    ],
    chatter: ['Alguém viu a propaganda nova? 😂', 'Participando do sorteio 🎉', 'Vale a pena o {product}?'],
  },
  ar: {
    complaint: [
      'جهاز {product} لا يعمل منذ أمس ولا أحد يرد على الهاتف. رقم الطلب {order}',
      'أنتظر التوصيل منذ {days} أيام. هذا غير مقبول',
      'تم خصم المبلغ مرتين مقابل نفس {product}!',
      'أسوأ خدمة عملاء، ساعة انتظار بدون أي حل',
    ],
    question: [
      'مرحبا، كيف يمكنني تغيير عنوان الطلب {order}؟',
      'هل يوجد عطل في {city} الآن؟ {product} ينقطع باستمرار',
      'هل يمكن إرجاع {product} بعد فتحه؟',
      'ما هي مواعيد العمل يوم الأحد؟',
    ],
    praise: ['شكرا لفريق الدعم، تم حل المشكلة بسرعة 👍', 'توصيل سريع و{product} ممتاز', 'خدمة رائعة، شكرا لكم'],
    sarcasm: ['رائع، {days} أيام لتوصيل {product}. إنجاز عظيم 🙃', 'أحب أن أدفع مقابل خدمة لا تعمل أبدا'],
    chatter: ['هل شاهد أحد الإعلان الجديد؟ 😄', 'أشارك في المسابقة 🎉'],
  },
  it: {
    complaint: [
      'Il mio {product} non funziona da ieri e nessuno risponde. Ordine {order}.',
      'Aspetto la consegna da {days} giorni. Vergognoso.',
      'Mi avete addebitato due volte lo stesso {product}!',
    ],
    question: [
      'Ciao, come posso cambiare l’indirizzo dell’ordine {order}?',
      'C’è un guasto a {city}? Il {product} si disconnette di continuo',
      'Posso restituire il {product} se l’ho già aperto?',
    ],
    praise: ['Grazie al supporto, problema risolto in cinque minuti 👍', 'Consegna velocissima, {product} perfetto'],
    sarcasm: ['Fantastico, {days} giorni per consegnare un {product}. Complimenti 🙃'],
    chatter: ['Qualcuno ha visto la nuova pubblicità? 😄'],
  },
};

const PRODUCTS: Record<Language, readonly string[]> = {
  en: ['router', 'fibre line', 'phone', 'mobile plan', 'smart speaker', 'app', 'TV box'],
  es: ['router', 'fibra', 'móvil', 'decodificador', 'altavoz'],
  fr: ['box', 'routeur', 'forfait mobile', 'téléphone', 'décodeur'],
  de: ['Router', 'Glasfaseranschluss', 'Handy', 'Vertrag', 'Receiver'],
  pt: ['roteador', 'plano de internet', 'celular', 'decodificador'],
  ar: ['الراوتر', 'الهاتف', 'الإنترنت', 'جهاز الاستقبال'],
  it: ['router', 'modem', 'telefono', 'decoder'],
};

const CITIES = ['Lisbon', 'Madrid', 'Lyon', 'Köln', 'São Paulo', 'Cairo', 'Dubai', 'Manchester', 'Torino', 'Austin', 'Montréal', 'Ciudad de México'];
const EMOJI = ['😡', '🙏', '😂', '👍', '🔥', '💔', '🤦', '❤️', '🙄', '😤', '✨', '📦', '👨‍👩‍👧'];
const LANG_WEIGHTS: Record<Language, number> = { en: 45, es: 14, fr: 11, de: 10, pt: 10, ar: 6, it: 4 };
const CATEGORY_WEIGHTS: Record<Category, number> = { complaint: 35, question: 30, praise: 15, sarcasm: 10, chatter: 10 };

export interface TextOptions {
  lang?: Language;
  category?: Category;
  /** X texts stay within 280 weighted characters and their links are t.co links. */
  platform: 'x' | 'facebook' | 'messenger';
  /** Handle prepended to X mentions/replies ("@NorthwindCare "). */
  mention?: string;
}

export interface GeneratedText {
  text: string;
  lang: Language;
  category: Category;
}

export function pickLanguage(random: Random): Language {
  return random.weighted(LANG_WEIGHTS);
}

function fill(template: string, random: Random, lang: Language): string {
  return template
    .replace(/\{order\}/g, () => `#${random.digits(7)}`)
    .replace(/\{product\}/g, () => random.pick(PRODUCTS[lang]))
    .replace(/\{days\}/g, () => String(random.int(2, 12)))
    .replace(/\{city\}/g, () => random.pick(CITIES));
}

function link(random: Random, platform: TextOptions['platform']): string {
  if (platform === 'x') return `https://t.co/${random.token(10)}`;
  return random.pick(['https://imgur.com/a/', 'https://example.com/orders/', 'https://www.youtube.com/watch?v=']) + random.token(8);
}

/** One message from a customer. Deterministic for a given generator state. */
export function generateText(random: Random, options: TextOptions): GeneratedText {
  const lang = options.lang ?? pickLanguage(random);
  const category = options.category ?? random.weighted(CATEGORY_WEIGHTS);
  const first = random.pick(CORPUS[lang][category]);
  let text = fill(first, random, lang);
  // Long messages: a few more sentences, mostly in the same mood, none repeated.
  const long = random.chance(options.platform === 'x' ? 0.08 : 0.15);
  if (long) {
    const used = new Set([first]);
    const extra = random.int(2, options.platform === 'x' ? 3 : 8);
    for (let i = 0; i < extra; i++) {
      const pool = CORPUS[lang][random.chance(0.7) ? category : random.pick(CATEGORIES)].filter((t) => !used.has(t));
      if (pool.length === 0) continue;
      const sentence = random.pick(pool);
      used.add(sentence);
      text += ' ' + fill(sentence, random, lang);
    }
  }
  if (random.chance(0.3)) text += ' ' + random.pick(EMOJI) + (random.chance(0.3) ? random.pick(EMOJI) : '');
  if (random.chance(0.12)) text += ' ' + link(random, options.platform);
  if (options.mention) text = `${options.mention} ${text}`;
  if (options.platform === 'x') text = truncateToTweet(text);
  return { text, lang, category };
}

const URL_RE = /https?:\/\/\S+/g;

/** X's weighted length (twitter-text v3, simplified): most Latin/Arabic 1, CJK and emoji 2, URLs 23. */
export function tweetLength(text: string): number {
  let length = 0;
  const withoutUrls = text.replace(URL_RE, () => {
    length += 23;
    return '';
  });
  for (const ch of withoutUrls.normalize('NFC')) {
    const cp = ch.codePointAt(0) ?? 0;
    const light = (cp >= 0 && cp <= 4351) || (cp >= 8192 && cp <= 8205) || (cp >= 8208 && cp <= 8223) || (cp >= 8242 && cp <= 8247);
    length += light ? 1 : 2;
  }
  return length;
}

function truncateToTweet(text: string): string {
  if (tweetLength(text) <= 280) return text;
  const words = text.split(' ');
  while (words.length > 1 && tweetLength(words.join(' ') + '…') > 280) words.pop();
  return words.join(' ') + '…';
}
