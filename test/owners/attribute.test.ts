import { attributeOwners } from '../../src/owners/attribute.js';
import type { OwnersConfig } from '../../src/config/schema.js';
import type { Finding } from '../../src/model/types.js';
import { bindingRecord, certRecord } from '../fixtures/certs.js';

function finding(kind: 'certificate' | 'binding' | 'scope', uid: string, account = '111111111111'): Finding {
  return {
    id: `f-${uid}`,
    ruleId: 'cert-expiring',
    severity: 'high',
    category: 'expiry',
    title: 't',
    message: 'm',
    resource: { uid, kind, name: uid, provider: 'aws-acm', account, location: 'us-east-1' },
    related: [],
    evidence: {},
    remediation: 'r',
  };
}

const cfg = (over: Partial<OwnersConfig> = {}): OwnersConfig => ({ tags: ['owner', 'team'], map: [], ...over });

test.each([
  [
    'a tag on the certificate, key compared without case',
    { tags: { Team: 'payments' } },
    cfg(),
    'payments',
    'tag',
    'Team',
  ],
  ['the first tag key configured wins', { tags: { team: 'b', owner: 'a' } }, cfg(), 'a', 'tag', 'owner'],
  ['a blank tag is no owner', { tags: { owner: ' ' } }, cfg({ default: 'sec' }), 'sec', 'default', 'default'],
  [
    'the account mapping',
    {},
    cfg({ map: [{ owner: 'platform', account: '111111111111' }] }),
    'platform',
    'mapping',
    'account=111111111111',
  ],
  [
    'a DNS glob, ignoring case',
    {},
    cfg({ map: [{ owner: 'web', dns: '*.EXPIRING-3D.example.com' }] }),
    'web',
    'mapping',
    'dns=*.EXPIRING-3D.example.com',
  ],
  [
    'a tag beats the mapping',
    { tags: { owner: 'x' } },
    cfg({ map: [{ owner: 'platform', account: '111111111111' }] }),
    'x',
    'tag',
    'owner',
  ],
  [
    'every key of a mapping must match',
    {},
    cfg({ map: [{ owner: 'no', account: '111111111111', vault: 'kv1' }], default: 'd' }),
    'd',
    'default',
    'default',
  ],
])('%s', (_name, over, config, name, source, detail) => {
  const cert = certRecord('expiring-3d', over, 'aws-acm');
  const out = attributeOwners([cert], [], [finding('certificate', cert.uid)], config);
  expect(out.certificates[0].owner).toEqual({ name, source, detail });
  expect(out.findings[0].owner).toEqual({ name, source, detail });
  expect(cert.owner).toBeUndefined();
});

test('a binding takes its own tag, else the tag of the certificate it serves; an untagged certificate takes its binding’s', () => {
  const tagged = certRecord('rsa-2048', { tags: { owner: 'cert-team' } }, 'aws-acm');
  const bare = certRecord('ec-p256', {}, 'aws-acm');
  const b1 = { ...bindingRecord('one', tagged.ref), certificateUid: tagged.uid };
  const b2 = { ...bindingRecord('two', bare.ref, { tags: { team: 'lb-team' } }), certificateUid: bare.uid };
  const out = attributeOwners([tagged, bare], [b1, b2], [finding('binding', b1.uid)], cfg());
  expect(out.bindings.map((b) => b.owner?.name)).toEqual(['cert-team', 'lb-team']);
  expect(out.certificates.map((c) => c.owner?.name)).toEqual(['cert-team', 'lb-team']);
  expect(out.findings[0].owner).toEqual({ name: 'cert-team', source: 'tag', detail: 'owner' });
});

test('vault and path mappings, and scope findings by account; nothing matching and no default leaves no owner', () => {
  const kv = certRecord('rsa-2048', { location: 'kv-prod', account: 'sub-1' }, 'azure-keyvault');
  const file = certRecord('ec-p256', { ref: '/etc/ssl/shop/site.pem', account: 'local' }, 'files');
  const other = certRecord('ed25519', { account: '222222222222' }, 'aws-acm');
  const config = cfg({
    map: [
      { owner: 'kv-team', vault: 'KV-PROD' },
      { owner: 'shop', path: '/etc/ssl/shop/**' },
      { owner: 'acct', account: '333333333333' },
    ],
  });
  const out = attributeOwners(
    [kv, file, other],
    [],
    [finding('scope', 'scope:x', '333333333333'), finding('scope', 'scope:y', '444444444444')],
    config,
  );
  expect(out.certificates.map((c) => c.owner?.name)).toEqual(['kv-team', 'shop', undefined]);
  expect(out.findings.map((f) => f.owner?.name)).toEqual(['acct', undefined]);
});
