import { checkDraft, emptyDraft } from './address-draft';
import { checkShipping } from './ship-form';

describe('checkDraft', () => {
  it('accepts a full mainland address', () => {
    const r = checkDraft({ name: '张阿姨', phone: '13600000001', province: '北京市', city: '北京市', district: '朝阳区', detail: '建国路88号院3号楼' });
    expect(r.ok).toBe(true);
  });
  it('says which fields are missing or wrong, by the server schema', () => {
    const r = checkDraft({ ...emptyDraft(), name: '张阿姨', phone: '12345', province: '', city: '北京市', district: '朝阳区', detail: '88' });
    expect(r).toEqual({ ok: false, problems: { phone: 'badPhone', province: 'required', detail: 'tooShort' } });
  });
});

describe('checkShipping', () => {
  it('accepts a courier and a tracking number, trimmed', () => {
    expect(checkShipping(' 顺丰速运 ', ' SF1234567890 ')).toEqual({ ok: true, body: { courier: '顺丰速运', trackingNo: 'SF1234567890' } });
  });
  it('refuses a missing courier and a tracking number with spaces or too short', () => {
    expect(checkShipping('', 'SF1234567890')).toEqual({ ok: false, field: 'courier' });
    expect(checkShipping('顺丰速运', 'SF 123')).toEqual({ ok: false, field: 'trackingNo' });
    expect(checkShipping('顺丰速运', '12345')).toEqual({ ok: false, field: 'trackingNo' });
  });
});
