/** The password rules without zod, so the sign-up screen's bundle does not carry it. */

/**
 * The user pool's password policy (scripts/admin/cognito-pool.ts creates the pool with it; an
 * integration test compares the two). cognito-local does not enforce it, so the service checks
 * it before asking Cognito, and the sign-up screen can show the rules as people type.
 */
const COGNITO_SYMBOL = /[\^$*.[\]{}()?\-"!@#%&/\\,><':;|_~`+=]/;

export const PASSWORD_RULES = [
  { rule: 'at least 8 characters', test: (p: string) => p.length >= 8 },
  { rule: 'a lowercase letter', test: (p: string) => /[a-z]/.test(p) },
  { rule: 'an uppercase letter', test: (p: string) => /[A-Z]/.test(p) },
  { rule: 'a number', test: (p: string) => /\d/.test(p) },
  // Cognito's special characters, exactly: it does not count € or é as one.
  { rule: 'a symbol such as ! ? # or -', test: (p: string) => COGNITO_SYMBOL.test(p) },
] as const;

/** The rules a password does not meet yet, in words; empty when it is acceptable. */
export function passwordProblems(password: string): string[] {
  return PASSWORD_RULES.filter(({ test }) => !test(password)).map(({ rule }) => rule);
}
