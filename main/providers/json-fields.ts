/**
 * Lenient readers for fields of provider JSON answers, shared by the providers' parse modules:
 * a field of the wrong type reads as absent (null or empty), never as an exception.
 */
import { isoAt } from './client-base.js';

/** A JSON object. */
export type Json = Record<string, unknown>;

/** True for a JSON object (not null, not an array). */
export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The objects of an array; anything else reads as empty. */
export function objects(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** A string, or a finite number as text; otherwise null. */
export function str(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** `str` trimmed, or null when that is empty. */
export function nonEmpty(value: unknown): string | null {
  const text = str(value);
  return text !== null && text.trim() !== '' ? text.trim() : null;
}

/** An integer, or a string of one; otherwise null. */
export function int(value: unknown): number | null {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
  return null;
}

/** A date (trimmed text Date.parse accepts) as ISO 8601 UTC without milliseconds; otherwise null. */
export function isoTime(value: unknown): string | null {
  const text = nonEmpty(value);
  if (text === null) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : isoAt(ms);
}
