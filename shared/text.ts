import { z } from 'zod';
import { characterProblem } from './text-rules';

export { characterProblem, looksEmpty } from './text-rules';

/**
 * A string refused by its raw length (UTF-16 units, read in constant time) before any trim,
 * pattern, refinement or transform looks at it; `abort` stops the checks after it. Not zod's
 * .max(): since zod 4.6 it counts code points, scanning the whole of a string that is over.
 */
export const cappedString = (maxLength: number, error: string) =>
  z.string().refine((text) => text.length <= maxLength, { error, abort: true });

/** Typed text named `name` ("the search"): raw length capped, then its characters checked. */
export const typedText = (name: string, maxLength: number, tooLong: string) =>
  cappedString(maxLength, tooLong).superRefine((text, ctx) => {
    const problem = characterProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: `${name} ${problem}` });
  });
