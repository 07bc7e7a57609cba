/**
 * Prices in USD per million tokens, as published on the date below. A model that is not here has
 * an unknown price: it is shown as unknown, never guessed. Cache writes (5-minute) cost 1.25 × input
 * and cache reads 0.1 × input unless a model says otherwise.
 */
import { z } from 'zod';
export const PRICES_AS_OF = '2026-10-31';

export const Price = z.object({ input: z.number(), output: z.number(), cache_write: z.number(), cache_read: z.number() });
export type Price = z.infer<typeof Price>;

const price = (input: number, output: number): Price => ({ input, output, cache_write: input * 1.25, cache_read: input * 0.1 });

const TABLE: Record<string, Price> = {
  'claude-opus-5-5': price(4, 20),
  'claude-sonnet-5-5': price(2, 10),
  'claude-haiku-5-5': price(0.1, 0.5),
  'claude-opus-5': price(5, 25),
  'claude-sonnet-5': price(2, 10),
  'claude-fable-5': price(10, 50),
  'claude-mythos-5': price(10, 50),
  'claude-opus-4-8': price(5, 25),
  'claude-opus-4-7': price(5, 25),
  'claude-opus-4-6': price(5, 25),
  'claude-sonnet-4-6': price(3, 15),
  'claude-opus-4-5': price(5, 25),
  'claude-sonnet-4-5': price(3, 15),
  'claude-haiku-4-5': price(1, 5),
  'claude-opus-4-1': price(15, 75),
};

/** Dated snapshots (`claude-haiku-4-5-20251001`) cost what their alias costs. */
export function priceOf(model: string): Price | undefined {
  return TABLE[model] ?? TABLE[model.replace(/-\d{8}$/, '')];
}
