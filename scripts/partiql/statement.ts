import { MESSAGE_GROUP_INDEX } from '../../shared/model';
import { AppError } from '../../shared/result';

/**
 * Just enough of PartiQL's lexical structure to decide, before anything is sent, what a statement
 * does: its verb (the read-only guard), its table and index, its `?` placeholders and whether a
 * SELECT names its partition key (else DynamoDB answers it with a full scan). DynamoDB itself
 * remains the judge of the grammar: whatever this reader lets through, DynamoDB still parses.
 */
export type TokenKind = 'word' | 'number' | 'identifier' | 'string' | 'ion' | 'param' | 'symbol';

export interface Token {
  kind: TokenKind;
  /** Words and symbols as written; quoted identifiers, strings and Ion literals unquoted. */
  text: string;
}

const WORD = /[A-Za-z_][A-Za-z0-9_$]*/y;
const NUMBER = /\d+(\.\d*)?([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?/y;
const SYMBOL = /<>|!=|<=|>=|\|\||[^\s\w]/y;
const QUOTES: Record<string, TokenKind> = { "'": 'string', '"': 'identifier', '`': 'ion' };

const invalid = (message: string): AppError => new AppError('Invalid', message);

/** The text up to the closing quote; a doubled quote inside stands for one (PartiQL's escape). */
function readQuoted(statement: string, start: number): { text: string; end: number } {
  const quote = statement[start]!;
  let text = '';
  let index = start + 1;
  for (;;) {
    const close = statement.indexOf(quote, index);
    if (close === -1) throw invalid(`the statement has an unterminated ${quote} quote`);
    text += statement.slice(index, close);
    if (quote !== '`' && statement[close + 1] === quote) {
      text += quote;
      index = close + 2;
    } else {
      return { text, end: close + 1 };
    }
  }
}

function match(pattern: RegExp, statement: string, index: number): string | undefined {
  pattern.lastIndex = index;
  return pattern.exec(statement)?.[0];
}

/** Splits a statement into tokens, dropping whitespace and `--` / `/* *\/` comments. */
export function tokenize(statement: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < statement.length) {
    const char = statement[index]!;
    if (/\s/.test(char)) {
      index += 1;
    } else if (statement.startsWith('--', index)) {
      const end = statement.indexOf('\n', index);
      index = end === -1 ? statement.length : end + 1;
    } else if (statement.startsWith('/*', index)) {
      const end = statement.indexOf('*/', index + 2);
      if (end === -1) throw invalid('the statement has an unterminated /* comment');
      index = end + 2;
    } else if (QUOTES[char]) {
      const { text, end } = readQuoted(statement, index);
      tokens.push({ kind: QUOTES[char], text });
      index = end;
    } else if (char === '?') {
      tokens.push({ kind: 'param', text: '?' });
      index += 1;
    } else {
      const word = match(WORD, statement, index);
      const number = word === undefined ? match(NUMBER, statement, index) : undefined;
      const text = word ?? number ?? match(SYMBOL, statement, index) ?? char;
      tokens.push({ kind: word ? 'word' : number ? 'number' : 'symbol', text });
      index += text.length;
    }
  }
  return tokens;
}

const isKeyword = (token: Token | undefined, keyword: string): boolean =>
  token?.kind === 'word' && token.text.toUpperCase() === keyword;
const isSymbol = (token: Token | undefined, symbol: string): boolean =>
  token?.kind === 'symbol' && token.text === symbol;

const OPENERS = new Set(['(', '[', '{']);
const CLOSERS = new Set([')', ']', '}']);

/** Bracket depth before each token, so only top-level keywords are taken as clause boundaries. */
function depths(tokens: Token[]): number[] {
  let depth = 0;
  return tokens.map((token) => {
    // A bracket itself belongs to the outer level: `(` before entering, `)` after leaving.
    if (token.kind === 'symbol' && CLOSERS.has(token.text)) depth -= 1;
    const level = depth;
    if (token.kind === 'symbol' && OPENERS.has(token.text)) depth += 1;
    return level;
  });
}

function splitTopLevel(tokens: Token[], keyword: string): Token[][] {
  const depth = depths(tokens);
  const parts: Token[][] = [[]];
  tokens.forEach((token, index) => {
    if (depth[index] === 0 && isKeyword(token, keyword)) parts.push([]);
    else parts.at(-1)!.push(token);
  });
  return parts;
}

/** `( a AND b )` → `a AND b`, as often as the whole list is wrapped. */
function unwrap(tokens: Token[]): Token[] {
  let inner = tokens;
  while (isSymbol(inner[0], '(') && isSymbol(inner.at(-1), ')')) {
    const depth = depths(inner);
    // `(a) AND (b)` starts and ends with parentheses but is not wrapped: depth 0 in between.
    if (depth.slice(1, -1).some((d) => d === 0)) break;
    inner = inner.slice(1, -1);
  }
  return inner;
}

const isAttribute = (token: Token | undefined, name: string): boolean =>
  (token?.kind === 'word' || token?.kind === 'identifier') && token.text === name;
const isValue = (token: Token | undefined): boolean =>
  token?.kind === 'param' || token?.kind === 'string' || token?.kind === 'number' || token?.kind === 'ion';

/** `key = v`, `v = key` or `key IN [...]`: DynamoDB's conditions that name one or more partitions. */
function isKeyEquality(tokens: Token[], key: string): boolean {
  const [first, operator, last] = tokens;
  if (tokens.length === 3 && isSymbol(operator, '=')) {
    return (isAttribute(first, key) && isValue(last)) || (isValue(first) && isAttribute(last, key));
  }
  return (
    tokens.length >= 4 &&
    isAttribute(first, key) &&
    isKeyword(operator, 'IN') &&
    (isSymbol(last, '[') || isSymbol(last, '('))
  );
}

/**
 * Whether a WHERE clause restricts `key` to given values on every path: some top-level AND term
 * is an equality (or IN) on it. Any top-level OR counts as a scan, since one branch can escape
 * the key; parenthesised groups are looked into.
 */
export function hasKeyCondition(where: Token[], key: string): boolean {
  const condition = unwrap(where);
  if (splitTopLevel(condition, 'OR').length > 1) return false;
  return splitTopLevel(condition, 'AND').some((term) => {
    const inner = unwrap(term);
    if (isKeyEquality(inner, key)) return true;
    return inner.length < term.length && hasKeyCondition(inner, key);
  });
}

export interface StatementTarget {
  table: string;
  index: string | undefined;
}

export interface StatementInfo {
  /** The first keyword, upper-cased: SELECT, INSERT, UPDATE, DELETE, EXISTS… ('' if none). */
  verb: string;
  readOnly: boolean;
  target: StatementTarget | undefined;
  parameterCount: number;
  /** The partition key of the table or index read, when the data model knows it. */
  keyAttribute: string | undefined;
  /** A SELECT whose WHERE clause does not pin the partition key: DynamoDB scans. */
  fullScan: boolean;
}

/** The key DynamoDB needs an equality on to query instead of scan (see shared/model.ts). */
export function partitionKeyOf(target: StatementTarget): string | undefined {
  if (target.index === undefined) return 'pk';
  return target.index === MESSAGE_GROUP_INDEX ? 'message_group_uuid' : undefined;
}

const isName = (token: Token | undefined): token is Token =>
  token?.kind === 'identifier' || token?.kind === 'word';

/** `"table"` or `"table"."index"` right after the keyword that introduces it. */
function targetAfter(tokens: Token[], keyword: string): StatementTarget | undefined {
  const depth = depths(tokens);
  const at = tokens.findIndex((token, index) => depth[index] === 0 && isKeyword(token, keyword));
  const table = tokens[at + 1];
  if (at === -1 || !isName(table)) return undefined;
  const index = isSymbol(tokens[at + 2], '.') && isName(tokens[at + 3]) ? tokens[at + 3]!.text : undefined;
  return { table: table.text, index };
}

const TARGET_KEYWORD: Record<string, string> = {
  SELECT: 'FROM',
  DELETE: 'FROM',
  INSERT: 'INTO',
  UPDATE: 'UPDATE',
};

/** Reads what the statement will do. Throws Invalid for an empty statement or several at once. */
export function analyzeStatement(statement: string): StatementInfo {
  const all = tokenize(statement);
  const semicolon = all.findIndex((token) => isSymbol(token, ';'));
  // DynamoDB runs one statement per request; refusing `a; b` here also keeps the guard honest.
  if (semicolon !== -1 && semicolon < all.length - 1) {
    throw invalid('give one statement at a time (found more after a ;)');
  }
  const tokens = semicolon === -1 ? all : all.slice(0, semicolon);
  if (tokens.length === 0) throw invalid('the statement is empty');
  const verb = tokens[0]!.kind === 'word' ? tokens[0]!.text.toUpperCase() : '';
  const keyword = TARGET_KEYWORD[verb];
  const target = keyword ? targetAfter(tokens, keyword) : undefined;
  const keyAttribute = target ? partitionKeyOf(target) : undefined;
  const depth = depths(tokens);
  const whereAt = tokens.findIndex((token, index) => depth[index] === 0 && isKeyword(token, 'WHERE'));
  const orderAt = tokens.findIndex((token, index) => depth[index] === 0 && isKeyword(token, 'ORDER'));
  const where = whereAt === -1 ? [] : tokens.slice(whereAt + 1, orderAt > whereAt ? orderAt : undefined);
  return {
    verb,
    readOnly: verb === 'SELECT',
    target,
    parameterCount: tokens.filter((token) => token.kind === 'param').length,
    keyAttribute,
    fullScan: verb === 'SELECT' && keyAttribute !== undefined && !hasKeyCondition(where, keyAttribute),
  };
}
