import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AxeResults, Result } from 'axe-core';
import type { Page } from 'playwright-core';

/** The violations a screen may not have: the ones that keep someone from using it. */
const BLOCKING = new Set(['serious', 'critical']);

let source: Promise<string> | undefined;

/** axe-core's browser bundle, read once per file. */
function axeSource(): Promise<string> {
  source ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return source;
}

/** Elements listed per rule; the rest are counted. */
const MAX_TARGETS = 8;

/**
 * Each violation: its rule, impact and help, then the elements it was found on, each with what
 * axe measured (a contrast check gives the colours and the ratio).
 */
export function describeViolations(violations: Pick<Result, 'id' | 'impact' | 'help' | 'nodes'>[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes.slice(0, MAX_TARGETS).map((node) => {
        const why = [...node.any, ...node.all, ...node.none][0]?.message;
        return `    ${node.target.join(' ')}${why ? `: ${why}` : ''}`;
      });
      const more = v.nodes.length > MAX_TARGETS ? [`    … and ${v.nodes.length - MAX_TARGETS} more`] : [];
      return [`${v.id} (${v.impact ?? '?'}): ${v.help}`, ...nodes, ...more].join('\n');
    })
    .join('\n');
}

/**
 * Runs axe-core (WCAG 2.x A and AA, plus best practices) on the page as it is now and answers
 * the serious and critical violations. The source goes in through Playwright's evaluation (the
 * DevTools protocol), which the page's CSP does not govern, so the CSP stays exactly as shipped.
 */
export async function blockingViolations(page: Page): Promise<Result[]> {
  const installed = await page.evaluate(() => 'axe' in window);
  if (!installed) await page.evaluate(await axeSource());
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe.run(
      document,
      { resultTypes: ['violations'] },
    ),
  );
  return results.violations.filter((v) => BLOCKING.has(v.impact ?? ''));
}

/** Fails with the rule ids and targets when the screen has a serious or critical violation. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const violations = await blockingViolations(page);
  if (violations.length > 0) {
    throw new Error(
      `axe found serious or critical violations on ${screen}:\n${describeViolations(violations)}`,
    );
  }
}
