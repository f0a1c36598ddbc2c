/**
 * The end of every `switch` over a union: the compiler refuses a case left out, and a value
 * that slipped past the types at run time fails loudly instead of rendering nothing.
 */
export function exhaustive(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
