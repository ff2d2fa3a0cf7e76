/** Demo data: real counties and their regional brands, cooperatives pooling households, and produce. */

export const demoCounties = [
  { id: 'aksu', nameZh: '阿克苏市', nameEn: 'Aksu', provinceZh: '新疆维吾尔自治区', brandZh: '阿克苏苹果', villages: [['红旗坡村', 'Hongqipo'], ['依干其村', 'Yiganqi']] },
  { id: 'lixian', nameZh: '礼县', nameEn: 'Li County', provinceZh: '甘肃省陇南市', brandZh: '礼县苹果', villages: [['罗坝村', 'Luoba'], ['永兴村', 'Yongxing']] },
  { id: 'chengxian', nameZh: '成县', nameEn: 'Cheng County', provinceZh: '甘肃省陇南市', brandZh: '成县核桃', villages: [['店村', 'Dian'], ['王磨村', 'Wangmo']] },
  { id: 'zhashui', nameZh: '柞水县', nameEn: 'Zhashui', provinceZh: '陕西省商洛市', brandZh: '柞水木耳', villages: [['金米村', 'Jinmi'], ['西川村', 'Xichuan']] },
  { id: 'ximeng', nameZh: '西盟佤族自治县', nameEn: 'Ximeng', provinceZh: '云南省普洱市', brandZh: '西盟蜂蜜', villages: [['勐梭村', 'Mengsuo'], ['岳宋村', 'Yuesong']] },
] as const;

export type DemoCountyId = (typeof demoCounties)[number]['id'];

export const demoUsers = [
  { key: 'admin', phone: '13700000000', name: '县电商中心管理员', roles: ['viewer', 'admin'] },
  { key: 'hostAksu', phone: '13800000001', name: '红旗坡小马', roles: ['viewer', 'host'] },
  { key: 'hostLongnan', phone: '13800000002', name: '陇南果农王大哥', roles: ['viewer', 'host'] },
  { key: 'hostShaanYun', phone: '13800000003', name: '山货合作社阿岩', roles: ['viewer', 'host'] },
  { key: 'official', phone: '13900000001', name: '礼县融媒体中心', roles: ['viewer', 'official'] },
  { key: 'reviewer', phone: '13900000002', name: '县委网信办审核员', roles: ['viewer', 'reviewer'] },
  { key: 'viewer', phone: '13600000001', name: '北京张阿姨', roles: ['viewer'] },
  { key: 'viewer2', phone: '13600000002', name: '上海小林', roles: ['viewer'] },
] as const;

export type DemoUserKey = (typeof demoUsers)[number]['key'];

/** Each county's cooperative, the households that pool stock with it, and the hosts who sell for it. */
export const demoCooperatives: {
  county: DemoCountyId;
  name: string;
  hosts: DemoUserKey[];
  households: { name: string; village: 0 | 1; lowIncome: boolean }[];
  products: { name: string; origin: string; description: string; skus: [name: string, priceFen: number, grams: number, stock: number][] }[];
}[] = [
  {
    county: 'aksu',
    name: '阿克苏红旗坡苹果专业合作社',
    hosts: ['hostAksu'],
    households: [
      { name: '艾买提·托合提家', village: 0, lowIncome: true },
      { name: '马建华家', village: 0, lowIncome: false },
      { name: '古丽娜尔家', village: 1, lowIncome: true },
    ],
    products: [
      {
        name: '阿克苏冰糖心苹果',
        origin: '新疆阿克苏市红旗坡',
        description: '海拔1100米，昼夜温差大，果心透明糖心，脆甜多汁。霜降后采摘，产地直发。',
        skus: [
          ['5kg装 果径80mm+', 3990, 5000, 500],
          ['10kg装 果径85mm+', 6990, 10000, 300],
        ],
      },
    ],
  },
  {
    county: 'lixian',
    name: '礼县罗坝苹果种植合作社',
    hosts: ['hostLongnan'],
    households: [
      { name: '王建国家', village: 0, lowIncome: true },
      { name: '李秀英家', village: 0, lowIncome: false },
      { name: '张红梅家', village: 1, lowIncome: true },
    ],
    products: [
      {
        name: '礼县冰雹苹果（果面有疤 口感不减）',
        origin: '甘肃省陇南市礼县罗坝村',
        description: '今年一场冰雹让果面留下了小疤，果肉和甜度一点没变。买一箱，帮果农渡过难关。',
        skus: [
          ['5kg装 果面有疤', 2500, 5000, 2000],
          ['10kg装 果面有疤', 4500, 10000, 1000],
        ],
      },
    ],
  },
  {
    county: 'chengxian',
    name: '成县店村核桃专业合作社',
    hosts: ['hostLongnan'],
    households: [
      { name: '赵德明家', village: 0, lowIncome: false },
      { name: '刘桂兰家', village: 1, lowIncome: true },
    ],
    products: [
      {
        name: '成县纸皮核桃',
        origin: '甘肃省陇南市成县店村',
        description: '壳薄如纸，手捏即开，仁饱满色浅，当年新核桃。',
        skus: [
          ['1kg装', 3800, 1000, 800],
          ['2.5kg家庭装', 8800, 2500, 300],
        ],
      },
    ],
  },
  {
    county: 'zhashui',
    name: '柞水金米木耳合作社',
    hosts: ['hostShaanYun'],
    households: [
      { name: '陈永福家', village: 0, lowIncome: true },
      { name: '周玉兰家', village: 1, lowIncome: false },
    ],
    products: [
      {
        name: '柞水黑木耳（秋耳）',
        origin: '陕西省商洛市柞水县金米村',
        description: '秦岭山区椴木与袋料栽培，肉厚无根，泡发率高。',
        skus: [
          ['250g装', 2990, 250, 1000],
          ['500g装', 5580, 500, 600],
        ],
      },
    ],
  },
  {
    county: 'ximeng',
    name: '西盟佤山蜂蜜合作社',
    hosts: ['hostShaanYun'],
    households: [
      { name: '岩嘎家', village: 0, lowIncome: true },
      { name: '叶娜家', village: 1, lowIncome: true },
    ],
    products: [
      {
        name: '西盟佤山土蜂蜜',
        origin: '云南省普洱市西盟佤族自治县勐梭村',
        description: '中华蜂一年一取的百花蜜，自然成熟，不浓缩不添加。',
        skus: [
          ['500g瓶装', 6800, 500, 400],
          ['1kg瓶装', 12800, 1000, 200],
        ],
      },
    ],
  },
];
