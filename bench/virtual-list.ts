import { Window } from 'happy-dom';
import type { ConversationView } from '../shared/messages';
import { count, ms, type BenchResult } from './report';
import { interleaved } from './timing';

/** The list pane's height in the default window (800 px) less the header; happy-dom has no layout. */
const LIST_HEIGHT_PX = 720;
const TARGET_RATIO = 1.1;
const DAY = 86_400_000;

/**
 * Benchmark 5: the renderer's conversation list (ConversationList, virtualized with
 * @tanstack/react-virtual) rendered in happy-dom with 100 vs 10,000 conversations in its store.
 * Virtualized, it mounts the rows that fit the pane plus the overscan, whatever the count.
 */
export async function virtualList(): Promise<BenchResult> {
  const window = new Window({ url: 'app://cruddur/', width: 1280, height: 800 });
  // happy-dom computes no layout: the virtualizer reads its scroll pane's height from clientHeight.
  Object.defineProperty(window.HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: InstanceType<typeof window.HTMLElement>) {
      return this.classList.contains('conversation-list') ? LIST_HEIGHT_PX : 0;
    },
  });
  // React picks its build, and sees whether a DOM exists, when first loaded: set both first.
  // The production build unless told otherwise: the one the app ships.
  process.env['NODE_ENV'] ??= 'production';
  Object.assign(globalThis, { window, document: window.document, navigator: window.navigator });
  try {
    const [
      { createElement },
      { flushSync },
      { createRoot },
      { ConversationList },
      { useConversationsStore },
    ] = await Promise.all([
      import('react'),
      import('react-dom'),
      import('react-dom/client'),
      import('../renderer/src/components/ConversationList'),
      import('../renderer/src/store/conversations'),
    ]);
    const mounted = { small: { rows: 0, elements: 0 }, big: { rows: 0, elements: 0 } };
    const renderList = (size: keyof typeof mounted, conversations: ConversationView[]) => async () => {
      useConversationsStore.setState({ conversations, cursor: null, status: 'ready' });
      const container = window.document.createElement('div');
      window.document.body.appendChild(container);
      const root = createRoot(container as unknown as Element);
      // flushSync: the render, the virtualizer's layout effect and its re-render all happen here.
      flushSync(() => root.render(createElement(ConversationList)));
      mounted[size] = {
        rows: container.querySelectorAll('[role="listitem"]').length,
        elements: container.querySelectorAll('*').length,
      };
      root.unmount();
      container.remove();
    };
    const latency = await interleaved(
      { small: renderList('small', conversations(100)), big: renderList('big', conversations(10_000)) },
      { warmup: 5, rounds: 40 },
    );
    const rowRatio = mounted.big.rows / mounted.small.rows;
    const row = (size: keyof typeof mounted, total: number) => [
      `${count(total)} conversations`,
      count(mounted[size].rows),
      count(mounted[size].elements),
      count(latency[size].samples),
      ms(latency[size].p50),
      ms(latency[size].p95),
    ];
    return {
      title: `Renderer: ConversationList in happy-dom (a ${LIST_HEIGHT_PX} px pane, React's ${process.env['NODE_ENV']} build)`,
      headers: ['store holds', 'rows mounted', 'DOM elements', 'renders', 'render p50', 'render p95'],
      rows: [row('small', 100), row('big', 10_000)],
      ratios: [
        { label: 'rows mounted, 10,000 ÷ 100 conversations', value: rowRatio },
        { label: 'first render p50, 10,000 ÷ 100 conversations', value: latency.big.p50 / latency.small.p50 },
      ],
      target: `rows mounted for 10,000 within ${TARGET_RATIO}× of those for 100 (only the visible rows + overscan)`,
      meets: mounted.small.rows > 0 && rowRatio <= TARGET_RATIO,
      notes: [
        "the row list and the virtualizer's offsets are still built for every conversation, so render time is not flat",
      ],
    };
  } finally {
    await window.happyDOM.close();
    for (const name of ['window', 'document', 'navigator']) Reflect.deleteProperty(globalThis, name);
  }
}

/** `total` conversations, newest reply first, as the store keeps them. */
function conversations(total: number): ConversationView[] {
  const newest = Date.parse('2026-11-20T18:00:00.000Z');
  return Array.from({ length: total }, (_, index) => {
    const uuid = `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
    const at = new Date(newest - index * DAY).toISOString();
    return {
      message_group_uuid: uuid,
      message: `The last message of conversation ${index}`,
      last_reply_at: at,
      user_uuid: uuid,
      handle: `contact${index}`,
      display_name: `Contact ${index}`,
      sk: `GRP#${at}#${uuid}`,
      // Some unread, as a real list has: the badge is part of what a row renders.
      unread_count: index % 3 === 0 ? index % 7 : 0,
    };
  });
}
