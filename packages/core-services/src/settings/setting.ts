import { z } from 'zod';

/** Which processes read a setting: the docs list server and worker settings apart. */
export type SettingReader = 'server' | 'worker' | 'both';

/** One environment variable: its name, default, parser and documentation, written once. */
export interface Setting<Value = unknown> {
  env: string;
  /**
   * What an unset variable means, written as a person would set it (`32` for a size in MB); it goes
   * through `parse` like a set value. Undefined: the setting stays unset.
   */
  default: string | number | undefined;
  /** Reads the variable's text (or the default) into the value the code uses. */
  parse: z.ZodType<Value>;
  /** The docs' "default" cell when the value alone does not say it (unset, computed). */
  defaultText?: string;
  /** The docs' "meaning" cell. */
  doc: string;
  readBy: SettingReader;
  /** Also listed, with this short meaning, in the README's configuration table. */
  readmeDoc?: string;
}

export function setting<Value>(definition: Setting<Value>): Setting<Value> {
  return definition;
}

/** An unset or empty variable both mean "not configured". */
export const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** A comma-separated list; empty means none. */
export const commaSeparatedList = z.string().transform((list) =>
  list
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== ''),
);

export const positiveInteger = z.coerce.number().int().positive();

export const nonNegativeInteger = z.coerce.number().int().nonnegative();

/** Milliseconds; at most a day, because timers longer than 2^31 ms fire at once. */
export const timerMs = positiveInteger.max(86_400_000);

/** A size set in MiB (fractions allowed), used in bytes. */
export const mebibytes = (amount: z.ZodCoercedNumber) =>
  amount.transform((value) => Math.round(value * 2 ** 20));

export const port = z.coerce.number().int().min(0).max(65_535);
