import { MAX_MESSAGE_LENGTH } from '../../shared/model';
import { pick, type Random } from './random';

/**
 * Message text for the seed: mostly ordinary chat, plus the kinds that break naive UIs and
 * naive storage (emoji outside the BMP, right-to-left script, line breaks, text that looks like
 * HTML, and messages at or just under the length limit).
 */
export const messageKinds = ['plain', 'emoji', 'rtl', 'multiline', 'html', 'long'] as const;
export type MessageKind = (typeof messageKinds)[number];

const WEIGHTS: Record<MessageKind, number> = {
  plain: 70,
  emoji: 10,
  rtl: 6,
  multiline: 6,
  html: 4,
  long: 4,
};

const PLAIN = [
  'Did the schema load go through?',
  'Yes, the table is there with the GSI.',
  'I am looking at the access patterns again.',
  'Pattern B should be one query, not a scan.',
  'Can you review my pull request when you have a minute?',
  'Lunch at noon?',
  'The stream worker picked it up in about 30 ms.',
  'Running the seed now.',
  'That explains the empty list every first of January.',
  'I will be late for the bootcamp call.',
  'Who is on call this weekend?',
  'Pushed a fix for the paging cursor.',
  'Sounds good to me.',
  'The Shadows are on the move again.',
  'Understanding is a three-edged sword.',
  'No boom today. Boom tomorrow. There is always a boom tomorrow.',
  'Do you have the latest design card?',
  'ok',
  'Thanks!',
  'Let me check the CloudWatch logs first.',
  'On-demand billing keeps the bill tiny for now.',
  'Did anyone rotate the dev credentials?',
  'I moved the meeting to Thursday.',
  'Who ate my jala fruit?',
] as const;

const EMOJI = [
  'Deploy went green 🎉🚀',
  '👍',
  'Coffee? ☕',
  'Pairing tonight? 👩‍💻👨‍💻',
  'Pricing in 🇨🇦 vs 🇺🇸 looks the same 🤔',
  'Happy new year! 🥳🎆 2026 here we come',
  'Table is 🔥, queries are ⚡',
  '😂😂😂',
  'Family photo 👨‍👩‍👧‍👦 from the weekend',
  'Thumbs in every tone 👍🏻👍🏼👍🏽👍🏾👍🏿',
] as const;

const RTL = [
  'مرحبا! كيف حالك اليوم؟',
  'شكرا جزيلا، أراك غدا',
  'שלום, מה שלומך?',
  'תודה רבה! נתראה מחר',
  'The table is called cruddur-messages — اسم الجدول',
  'Meeting at 10:30 — הפגישה ב-10:30 בחדר 3',
  'عدد الرسائل: 1024 رسالة',
] as const;

const MULTILINE = [
  'Three things for today:\n1. schema load\n2. seed\n3. scan every page',
  'line one\n\nline three, after a blank line',
  'Roses are red\nViolets are blue\nDynamoDB pages\nAt one megabyte too',
  'Signing off now.\n— A.',
  'Checklist:\n- [x] table\n- [x] GSI\n- [ ] stream worker',
] as const;

const HTML = [
  '<script>alert(1)</script>',
  '<b>bold?</b> or not',
  '<img src=x onerror=alert(1)>',
  'if a < b && c > d then it works',
  '&lt;escaped&gt; &amp; friends',
  '<a href="javascript:alert(1)">click me</a>',
  '</div></div></div> did I break the layout?',
] as const;

const LONG_PARAGRAPHS = [
  'This is a long message that walks through the whole week-5 journal, the access patterns and what we got wrong the first time 📜. ',
  'رسالة طويلة جدا تختبر حد الطول في التطبيق، مع نص من اليمين إلى اليسار. ',
  'Line after line of notes:\nthe GSI is sparse, the stream moves the group items, the cursor is the last evaluated key.\n',
] as const;

/** How close to the limit a long message gets: exactly at it, one under, and a little under. */
const LONG_LENGTHS = [MAX_MESSAGE_LENGTH, MAX_MESSAGE_LENGTH - 1, MAX_MESSAGE_LENGTH - 24] as const;

/** A paragraph repeated up to `length` code points (the limit counts code points, not UTF-16 units). */
function longMessage(paragraph: string, length: number): string {
  const codePoints = Array.from(paragraph.repeat(Math.ceil(length / Array.from(paragraph).length)));
  const message = codePoints.slice(0, length);
  // A message ends in something visible, as one a person sends would.
  if (/\s/.test(message[length - 1]!)) message[length - 1] = '.';
  return message.join('');
}

export function pickKind(random: Random): MessageKind {
  const total = messageKinds.reduce((sum, kind) => sum + WEIGHTS[kind], 0);
  let roll = random() * total;
  for (const kind of messageKinds) {
    roll -= WEIGHTS[kind];
    if (roll < 0) return kind;
  }
  return 'plain';
}

export function messageText(kind: MessageKind, random: Random): string {
  switch (kind) {
    case 'plain':
      return pick(random, PLAIN);
    case 'emoji':
      return pick(random, EMOJI);
    case 'rtl':
      return pick(random, RTL);
    case 'multiline':
      return pick(random, MULTILINE);
    case 'html':
      return pick(random, HTML);
    case 'long':
      return longMessage(pick(random, LONG_PARAGRAPHS), pick(random, LONG_LENGTHS));
  }
}
