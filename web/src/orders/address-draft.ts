import { AddressSchema, PROVINCES, type Address } from '@farmlive/shared';

/** An address being typed: every field a string, the province possibly unchosen. */
export type AddressDraft = { [K in keyof Address]: string };

const STORAGE_KEY = 'farmlive.address';

export const emptyDraft = (): AddressDraft => ({ name: '', phone: '', province: '', city: '', district: '', detail: '' });

/** The last address this phone used, so a second purchase in a hurry needs no typing. */
export function rememberedDraft(): AddressDraft {
  try {
    const parsed = AddressSchema.safeParse(JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null'));
    return parsed.success ? { ...parsed.data } : emptyDraft();
  } catch {
    return emptyDraft();
  }
}

export function remember(address: Address): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(address));
  } catch {
    // storage refused: the next purchase asks again
  }
}

export type FieldProblem = 'required' | 'badPhone' | 'tooShort';

/** The address, or each field's problem, by the same schema the server parses with. */
export function checkDraft(d: AddressDraft): { ok: true; address: Address } | { ok: false; problems: Partial<Record<keyof Address, FieldProblem>> } {
  const parsed = AddressSchema.safeParse(d);
  if (parsed.success) return { ok: true, address: parsed.data };
  const problems: Partial<Record<keyof Address, FieldProblem>> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as keyof Address;
    if (problems[field]) continue;
    const value = d[field]?.trim() ?? '';
    problems[field] = !value ? 'required' : field === 'phone' ? 'badPhone' : field === 'province' && !(PROVINCES as readonly string[]).includes(value) ? 'required' : 'tooShort';
  }
  return { ok: false, problems };
}
