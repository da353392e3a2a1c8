// A small declaration language for the result file: each declared field gives both its TypeScript type
// (Infer<typeof decl>) and its runtime check, so the schema is written once (no schema library is a dependency).
// Objects are closed: a field that is not declared is a problem, so nothing is written that the schema omits.

export interface Field<T, Optional extends boolean = false> {
  readonly optional: Optional;
  readonly describe: string; // what a valid value is, for problem messages
  check(value: unknown, where: string, problems: string[]): void;
  readonly _type?: T; // carries T for Infer only; never set
}

export type Infer<F> = F extends Field<infer T, boolean> ? T : never;

type AnyField = Field<unknown, boolean>;
type Shape = Record<string, AnyField>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends Field<unknown, true> ? K : never }[keyof S];
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOf<S extends Shape> = Simplify<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }
>;

// A check on one whole object once its fields are sound (e.g. "a valid entry needs >= 3 samples").
export type Rule<T> = (value: T, where: string, problems: string[]) => void;

const shown = (value: unknown): string => JSON.stringify(value)?.slice(0, 80) ?? String(value);

function leaf<T>(describe: string, test: (v: unknown) => boolean): Field<T> {
  return {
    optional: false,
    describe,
    check(value, where, problems) {
      if (!test(value)) problems.push(`${where}: invalid value ${shown(value)} (${describe})`);
    },
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export const str = (): Field<string> => leaf('a string', (v) => typeof v === 'string');
export const bool = (): Field<boolean> => leaf('true or false', (v) => typeof v === 'boolean');
export const date = (): Field<string> => leaf('an ISO 8601 date', (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)));

// A finite number, optionally bounded below (min: at least, above: strictly more than).
export function num(bounds: { min?: number; above?: number } = {}): Field<number> {
  const parts = ['a finite number', ...(bounds.min !== undefined ? [`>= ${bounds.min}`] : []), ...(bounds.above !== undefined ? [`> ${bounds.above}`] : [])];
  return leaf(parts.join(' '), (v) => isNumber(v) && (bounds.min === undefined || v >= bounds.min) && (bounds.above === undefined || v > bounds.above));
}

export function oneOf<const T extends string | number>(values: readonly T[]): Field<T> {
  return leaf(`one of ${values.join(', ')}`, (v) => (values as readonly unknown[]).includes(v));
}

export function optional<T>(field: Field<T>): Field<T, true> {
  return { ...field, optional: true };
}

export function list<T>(item: Field<T>): Field<T[]> {
  return {
    optional: false,
    describe: `a list of ${item.describe}`,
    check(value, where, problems) {
      if (!Array.isArray(value)) problems.push(`${where}: not a list`);
      else value.forEach((v, i) => item.check(v, `${where}[${i}]`, problems));
    },
  };
}

// An object with free keys (conclusions, Deno's permissions per workload), each value checked.
export function record<T>(value: Field<T>): Field<Record<string, T>> {
  return {
    optional: false,
    describe: `an object of ${value.describe}`,
    check(v, where, problems) {
      if (!isObject(v)) problems.push(`${where}: not an object`);
      else for (const [k, x] of Object.entries(v)) value.check(x, `${where}.${k}`, problems);
    },
  };
}

export interface ObjectField<S extends Shape> extends Field<ObjectOf<S>> {
  readonly shape: S;
}

// A closed object: every declared field checked (missing required ones reported), undeclared ones reported,
// and the rules run once the fields themselves are sound.
export function object<S extends Shape>(shape: S, rules: ReadonlyArray<Rule<ObjectOf<S>>> = []): ObjectField<S> {
  return {
    optional: false,
    describe: 'an object',
    shape,
    check(value, where, problems) {
      if (!isObject(value)) {
        problems.push(`${where}: not an object`);
        return;
      }
      const before = problems.length;
      for (const [key, field] of Object.entries(shape)) {
        if (!(key in value) || value[key] === undefined) {
          if (!field.optional) problems.push(`${where}.${key}: missing`);
        } else field.check(value[key], `${where}.${key}`, problems);
      }
      for (const key of Object.keys(value)) if (!(key in shape)) problems.push(`${where}.${key}: not declared in the schema`);
      if (problems.length === before) for (const rule of rules) rule(value as ObjectOf<S>, where, problems);
    },
  };
}
