/**
 * Predefined ELB security policies as DescribeSSLPolicies returns them (protocols and ciphers in
 * priority order), from the "Security policies for your Application Load Balancer" tables of the
 * Elastic Load Balancing user guide. ELBSecurityPolicy-TLS-1-0-2015-04 is 2016-08 plus
 * DES-CBC3-SHA; the FS-1-2-Res-2020-10 policy keeps only the four ECDHE AES-GCM suites.
 */
const TLS13 = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
const ECDHE_GCM_128 = ['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256'];
const ECDHE_GCM_256 = ['ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384'];
const LEGACY_2016 = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES128-SHA256',
  'ECDHE-RSA-AES128-SHA256',
  'ECDHE-ECDSA-AES128-SHA',
  'ECDHE-RSA-AES128-SHA',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-AES256-SHA384',
  'ECDHE-RSA-AES256-SHA384',
  'ECDHE-ECDSA-AES256-SHA',
  'ECDHE-RSA-AES256-SHA',
  'AES128-GCM-SHA256',
  'AES128-SHA256',
  'AES128-SHA',
  'AES256-GCM-SHA384',
  'AES256-SHA256',
  'AES256-SHA',
];
const TLS12_2017 = LEGACY_2016.filter((c) => !c.endsWith('-SHA') || c.endsWith('SHA256') || c.endsWith('SHA384'));
const TLS13_12 = [
  ...TLS13,
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES128-SHA256',
  'ECDHE-RSA-AES128-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-AES256-SHA384',
  'ECDHE-RSA-AES256-SHA384',
];
const TLS13_EXT = [...TLS13, ...LEGACY_2016];

export interface SslPolicy {
  name: string;
  protocols: string[];
  ciphers: string[];
}

const table: Array<[string, string[], string[]]> = [
  ['ELBSecurityPolicy-2016-08', ['TLSv1', 'TLSv1.1', 'TLSv1.2'], LEGACY_2016],
  ['ELBSecurityPolicy-TLS-1-0-2015-04', ['TLSv1', 'TLSv1.1', 'TLSv1.2'], [...LEGACY_2016, 'DES-CBC3-SHA']],
  ['ELBSecurityPolicy-TLS-1-1-2017-01', ['TLSv1.1', 'TLSv1.2'], LEGACY_2016],
  ['ELBSecurityPolicy-TLS-1-2-2017-01', ['TLSv1.2'], TLS12_2017],
  ['ELBSecurityPolicy-TLS-1-2-Ext-2018-06', ['TLSv1.2'], LEGACY_2016],
  ['ELBSecurityPolicy-FS-1-2-Res-2020-10', ['TLSv1.2'], [...ECDHE_GCM_128, ...ECDHE_GCM_256]],
  ['ELBSecurityPolicy-TLS13-1-0-2021-06', ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'], TLS13_EXT],
  ['ELBSecurityPolicy-TLS13-1-1-2021-06', ['TLSv1.1', 'TLSv1.2', 'TLSv1.3'], TLS13_EXT],
  ['ELBSecurityPolicy-TLS13-1-2-2021-06', ['TLSv1.2', 'TLSv1.3'], TLS13_12],
  ['ELBSecurityPolicy-TLS13-1-2-Res-2021-06', ['TLSv1.2', 'TLSv1.3'], [...TLS13, ...ECDHE_GCM_128, ...ECDHE_GCM_256]],
  [
    'ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06',
    ['TLSv1.2', 'TLSv1.3'],
    [...TLS13_12, 'AES128-GCM-SHA256', 'AES128-SHA256', 'AES256-GCM-SHA384', 'AES256-SHA256'],
  ],
  ['ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06', ['TLSv1.2', 'TLSv1.3'], TLS13_EXT],
  ['ELBSecurityPolicy-TLS13-1-3-2021-06', ['TLSv1.3'], TLS13],
];

export const SSL_POLICIES: ReadonlyMap<string, SslPolicy> = new Map(
  table.map(([name, protocols, ciphers]) => [name, { name, protocols, ciphers }]),
);
