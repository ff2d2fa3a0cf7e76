import { FLASH_SALE_MAX_PER_BUYER, FLASH_SALE_MAX_QUANTITY, parseYuan, type CreateFlashSaleBodySchema } from '@farmlive/shared';
import type { z } from 'zod';

/** The launch form as typed: numbers are strings until checked, the price in yuan. */
export interface LaunchDraft {
  skuId: string;
  priceYuan: string;
  quantity: string;
  perBuyerLimit: string;
  durationMinutes: string;
  paymentWindowSeconds: string;
  start: 'now' | 'countdown' | 'later';
  countdownSeconds: string;
}

export type LaunchField = 'skuId' | 'priceYuan' | 'quantity' | 'perBuyerLimit' | 'durationMinutes' | 'paymentWindowSeconds' | 'countdownSeconds';
export type LaunchProblem = { kind: 'required' } | { kind: 'price' } | { kind: 'range'; min: number; max: number } | { kind: 'limitOverQuantity' };

export interface LaunchPlan {
  body: z.input<typeof CreateFlashSaleBodySchema>;
  /** After creating: start now (0), after a countdown, or only announce (null). */
  countdownSeconds: number | null;
}

/** The ranges the server's CreateFlashSaleBodySchema and StartFlashSaleBodySchema accept. */
const ranges = {
  quantity: [1, FLASH_SALE_MAX_QUANTITY],
  perBuyerLimit: [1, FLASH_SALE_MAX_PER_BUYER],
  durationMinutes: [1, 7 * 24 * 60],
  paymentWindowSeconds: [10, 2 * 3_600],
  countdownSeconds: [1, 86_400],
} as const;

const int = (s: string) => (/^\s*\d{1,9}\s*$/.test(s) ? Number(s) : null);

/** Checks the draft; the price becomes fen (yuan × 100, no floating point), minutes become seconds. */
export function checkLaunch(d: LaunchDraft, roomId: string): { ok: true; plan: LaunchPlan } | { ok: false; problems: Partial<Record<LaunchField, LaunchProblem>> } {
  const problems: Partial<Record<LaunchField, LaunchProblem>> = {};
  const n: Partial<Record<keyof typeof ranges, number>> = {};
  if (!d.skuId) problems.skuId = { kind: 'required' };
  const priceFen = parseYuan(d.priceYuan);
  if (priceFen === null || priceFen < 1) problems.priceYuan = { kind: 'price' };
  for (const [field, [min, max]] of Object.entries(ranges) as [keyof typeof ranges, readonly [number, number]][]) {
    if (field === 'countdownSeconds' && d.start !== 'countdown') continue;
    const v = int(d[field]);
    if (v === null || v < min || v > max) problems[field] = { kind: 'range', min, max };
    else n[field] = v;
  }
  if (n.quantity !== undefined && n.perBuyerLimit !== undefined && n.perBuyerLimit > n.quantity) problems.perBuyerLimit = { kind: 'limitOverQuantity' };
  if (Object.keys(problems).length) return { ok: false, problems };
  return {
    ok: true,
    plan: {
      body: {
        roomId,
        skuId: d.skuId,
        priceFen: priceFen!,
        quantity: n.quantity!,
        perBuyerLimit: n.perBuyerLimit!,
        durationSeconds: n.durationMinutes! * 60,
        paymentWindowSeconds: n.paymentWindowSeconds!,
        announce: d.start === 'later',
      },
      countdownSeconds: d.start === 'now' ? 0 : d.start === 'countdown' ? n.countdownSeconds! : null,
    },
  };
}

export const defaultDraft = (): LaunchDraft => ({
  skuId: '',
  priceYuan: '',
  quantity: '100',
  perBuyerLimit: '1',
  durationMinutes: '10',
  paymentWindowSeconds: '900',
  start: 'now',
  countdownSeconds: '60',
});
