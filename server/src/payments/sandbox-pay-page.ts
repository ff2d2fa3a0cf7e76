import { formatFen, type Payment } from '@farmlive/shared';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The sandbox provider's pay page: the amount and two buttons, pay or fail. It stands where a
 * real provider's page would, and returns the buyer to their order page afterwards.
 */
export function sandboxPayPage(p: Payment): string {
  const pending = p.status === 'pending';
  const id = escape(p.id);
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>沙箱支付 Sandbox pay</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#222}
.amount{font-size:2.5rem;font-weight:700;margin:1rem 0}button{font-size:1.1rem;padding:.8rem 1.4rem;margin:.3rem;border:0;border-radius:.5rem}
#pay{background:#07c160;color:#fff}#fail{background:#eee}.note{color:#888;font-size:.9rem}</style></head>
<body><h1>沙箱支付 <small class="note">Sandbox pay</small></h1>
<p class="note">测试用支付页，不会真实扣款。This page stands in for a payment provider; no money moves.</p>
<div class="amount" data-testid="amount">${escape(formatFen(p.amountFen))}</div>
<p data-testid="status">${escape(p.status)}</p>
${pending ? `<button id="pay" data-outcome="success">确认支付 Pay</button><button id="fail" data-outcome="fail">支付失败 Fail</button>` : ''}
<p><a href="/orders/${escape(p.orderId)}" id="back">返回订单 Back to the order</a></p>
<script>
for (const b of document.querySelectorAll('button[data-outcome]')) b.addEventListener('click', async () => {
  document.querySelectorAll('button').forEach((x) => (x.disabled = true));
  const res = await fetch('/api/payments/sandbox/${id}/complete', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome: b.dataset.outcome }) });
  const body = await res.json();
  document.querySelector('[data-testid=status]').textContent = res.ok ? body.status : body.error.code;
  if (res.ok && body.status === 'succeeded') location.href = '/orders/${escape(p.orderId)}';
});
</script></body></html>`;
}
