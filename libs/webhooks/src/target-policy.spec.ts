import { checkAddress, checkAddresses, checkUrlShape, isPublicAddress, parseAllowList, TargetRefusedError } from './target-policy';

describe('SSRF target policy', () => {
  const none = parseAllowList(undefined);

  it.each([
    ['127.0.0.1'],
    ['10.0.0.5'],
    ['172.16.3.4'],
    ['192.168.1.1'],
    ['169.254.169.254'],
    ['100.100.100.200'],
    ['0.0.0.0'],
    ['::1'],
    ['fe80::1'],
    ['fd00:ec2::254'],
    ['::ffff:127.0.0.1'],
    ['::ffff:169.254.169.254'],
    ['224.0.0.1'],
    ['255.255.255.255'],
    ['64:ff9b::7f00:1'],
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
    expect(() => checkAddress('hooks.example.com', address, none)).toThrow(TargetRefusedError);
  });

  it.each([['93.184.216.34'], ['8.8.8.8'], ['2606:4700:4700::1111'], ['::ffff:8.8.8.8']])('admits the public address %s', (address) => {
    expect(() => checkAddress('hooks.example.com', address, none)).not.toThrow();
  });

  it('admits what the allow-list names: CIDRs, single addresses, host names and suffixes', () => {
    const allow = parseAllowList('127.0.0.0/8, ::1, hooks.internal, *.corp.example');
    expect(() => checkAddress('localhost', '127.0.0.1', allow)).not.toThrow();
    expect(() => checkAddress('localhost', '::1', allow)).not.toThrow();
    expect(() => checkAddress('localhost', '::ffff:127.0.0.2', allow)).not.toThrow();
    expect(() => checkAddress('hooks.internal', '10.1.2.3', allow)).not.toThrow();
    expect(() => checkAddress('a.corp.example', '10.1.2.3', allow)).not.toThrow();
    expect(() => checkAddress('corp.example', '10.1.2.3', allow)).toThrow(TargetRefusedError);
    expect(() => checkAddress('evil.example', '169.254.169.254', allow)).toThrow(TargetRefusedError);
  });

  it('refuses a host that resolves to any refused address, or to none', () => {
    expect(() => checkAddresses('mixed.example', ['8.8.8.8', '10.0.0.1'], none)).toThrow(/10\.0\.0\.1/);
    expect(() => checkAddresses('empty.example', [], none)).toThrow(/does not resolve/);
  });

  it('rejects a malformed allow-list entry', () => {
    expect(() => parseAllowList('127.0.0.0/8, not a host!')).toThrow(/WEBHOOK_ALLOWED_TARGETS/);
  });

  it('checks the URL shape: scheme, https in production, no credentials or fragment', () => {
    expect(checkUrlShape('https://hooks.example.com/a?b=1', { requireHttps: true })).toMatchObject({ host: 'hooks.example.com', literal: null, port: 443 });
    expect(checkUrlShape('http://[::1]:8080/x', { requireHttps: false })).toMatchObject({ host: '::1', literal: '::1', port: 8080 });
    expect(checkUrlShape('http://0x7f.1/', { requireHttps: false }).literal).toBe('127.0.0.1');
    expect(() => checkUrlShape('http://hooks.example.com/', { requireHttps: true })).toThrow(/https/);
    expect(() => checkUrlShape('ftp://hooks.example.com/', { requireHttps: false })).toThrow(/http or https/);
    expect(() => checkUrlShape('https://user:pw@hooks.example.com/', { requireHttps: true })).toThrow(/user name/);
    expect(() => checkUrlShape('https://hooks.example.com/#x', { requireHttps: true })).toThrow(/fragment/);
    expect(() => checkUrlShape('/relative', { requireHttps: false })).toThrow(/absolute/);
  });
});
