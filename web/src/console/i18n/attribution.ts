import type { Shape } from './texts';

const zhCN = {
  title: '效果统计',
  byAccount: '按账号',
  byStory: '按图文',
  range: '时间范围',
  ranges: { '7d': '近 7 天', '30d': '近 30 天', all: '全部' },
  columns: { name: '名称', publications: '已发布', visits: '访问', orders: '订单', paidOrders: '已付款', revenue: '成交额', conversion: '下单率' },
  empty: '还没有数据。图文发布后，读者点链接访问和下单都会记在这里。',
  hint: '每条发布都有自己的短链接；读者从短链接进来后下的单，记到这条发布、它的账号和图文上。',
};

const en: Shape<typeof zhCN> = {
  title: 'Results',
  byAccount: 'By account',
  byStory: 'By story',
  range: 'Period',
  ranges: { '7d': 'Last 7 days', '30d': 'Last 30 days', all: 'All time' },
  columns: { name: 'Name', publications: 'Published', visits: 'Visits', orders: 'Orders', paidOrders: 'Paid', revenue: 'Revenue', conversion: 'Order rate' },
  empty: 'No figures yet. Once stories are out, visits through their links and the orders that follow show here.',
  hint: 'Each publication has its own short link; orders placed after a visit through it are credited to that publication, its account and its story.',
};

export const attributionTexts = { 'zh-CN': zhCN, en };
