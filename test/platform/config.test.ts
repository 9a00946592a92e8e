import path from 'node:path';
import { ConfigError, loadConfig, proxyWarning } from '../../server/config';
import { projectRoot } from '../../server/platform/paths';

describe('loadConfig', () => {
  it('has sane defaults for a fresh machine', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      database: path.join(projectRoot, 'data', 'paydas.sqlite'),
      databaseEngine: 'sqlite',
      dbWriteWaitMs: 15_000,
      pgPoolSize: 10,
      baseUrl: 'http://localhost:3000',
      secureCookies: false,
      sessionSecret: undefined,
      env: 'production',
      surveysDir: path.join(projectRoot, 'surveys'),
      timeZone: 'Europe/Istanbul',
      sessionIdleMinutes: 120,
      trustProxy: false,
      smtpUrl: undefined,
      mailFrom: undefined,
      uploadsDir: path.join(projectRoot, 'data', 'uploads'),
      rateLimits: { visitorPostsPerMinute: 30, publicPostsPerMinute: 3000, loginPer15Minutes: 60 },
      rateLimitStore: 'memory',
      diskLowMb: 200,
      leaseMs: 300_000,
      webConcurrency: 1,
    });
  });

  it('reads every variable, and uses Secure cookies when BASE_URL is https', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: '/var/lib/paydas/db.sqlite',
      BASE_URL: 'https://katilim.example.org/',
      SESSION_SECRET: 'x'.repeat(40),
      NODE_ENV: 'development',
      SURVEYS_DIR: '/etc/paydas/surveys',
      TIME_ZONE: 'Europe/London',
      DB_WRITE_WAIT_MS: '2500',
    });
    expect(config).toMatchObject({
      dbWriteWaitMs: 2500,
      port: 8080,
      database: '/var/lib/paydas/db.sqlite',
      databaseEngine: 'sqlite',
      baseUrl: 'https://katilim.example.org',
      secureCookies: true,
      sessionSecret: 'x'.repeat(40),
      env: 'development',
      surveysDir: '/etc/paydas/surveys',
      timeZone: 'Europe/London',
    });
  });

  it('accepts file: and sqlite: URLs for the database file', () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite:///var/lib/paydas.sqlite' }).database).toBe('/var/lib/paydas.sqlite');
    expect(loadConfig({ DATABASE_URL: 'file:///var/lib/paydas.sqlite' }).database).toBe('/var/lib/paydas.sqlite');
    expect(loadConfig({ DATABASE_URL: 'file:data/x.sqlite' }).database).toBe(path.join(projectRoot, 'data', 'x.sqlite'));
    expect(loadConfig({ DATABASE_URL: 'postgres://paydas:pw@db.example.org:5432/paydas' })).toMatchObject({
      database: 'postgres://paydas:pw@db.example.org:5432/paydas',
      databaseEngine: 'postgres',
    });
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/paydas' }).databaseEngine).toBe('postgres');
  });

  it('reads OUTBOX_LEASE_MS, how long a claim on a message or a job holds', () => {
    expect(loadConfig({ OUTBOX_LEASE_MS: '60000' }).leaseMs).toBe(60_000);
    expect(() => loadConfig({ OUTBOX_LEASE_MS: '10' })).toThrow(/^Invalid OUTBOX_LEASE_MS="10": /);
  });

  it('reads WEB_CONCURRENCY, how many worker processes serve the port', () => {
    expect(loadConfig({ WEB_CONCURRENCY: '2' }).webConcurrency).toBe(2);
    expect(() => loadConfig({ WEB_CONCURRENCY: '0' })).toThrow(/^Invalid WEB_CONCURRENCY="0": /);
    expect(() => loadConfig({ WEB_CONCURRENCY: 'many' })).toThrow(/^Invalid WEB_CONCURRENCY="many": /);
  });

  it('reads DISK_LOW_MB, the free space under which /healthz warns', () => {
    expect(loadConfig({ DISK_LOW_MB: '1024' }).diskLowMb).toBe(1024);
    expect(() => loadConfig({ DISK_LOW_MB: '-5' })).toThrow(/^Invalid DISK_LOW_MB="-5": /);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', BASE_URL: '' }).port).toBe(3000);
  });

  it.each([
    [{ PORT: 'abc' }, /^Invalid PORT="abc": /],
    [{ DB_WRITE_WAIT_MS: '-1' }, /^Invalid DB_WRITE_WAIT_MS="-1": /],
    [{ PORT: '70000' }, /^Invalid PORT="70000": /],
    // Its value is not echoed: a database URL may hold a password.
    [{ DATABASE_URL: 'mysql://u:geheim@db/paydas' }, /^Invalid DATABASE_URL: must be a SQLite file path .* or a PostgreSQL URL/],
    [{ BASE_URL: 'katilim.example.org' }, /^Invalid BASE_URL=.*http\(s\) URL/],
    [{ BASE_URL: 'ftp://example.org' }, /^Invalid BASE_URL=/],
    [{ SESSION_SECRET: 'short' }, /^Invalid SESSION_SECRET: must be at least 32 characters/],
    [{ NODE_ENV: 'staging' }, /^Invalid NODE_ENV="staging": must be production, development or test/],
    [{ TIME_ZONE: 'Mars/Olympus' }, /^Invalid TIME_ZONE=.*IANA time zone/],
    [{ SMTP_URL: 'kullanici:gizli@mail.example.org' }, /^Invalid SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/],
  ])('refuses %j with a one-line message naming the variable', (env, message) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});

describe('proxyWarning', () => {
  it('warns in one line naming TRUST_PROXY when BASE_URL is https and TRUST_PROXY is unset', () => {
    const warning = proxyWarning(loadConfig({ BASE_URL: 'https://katilim.example.org' }));
    expect(warning).toMatch(/BASE_URL is https but TRUST_PROXY is not set/);
    expect(warning).not.toContain('\n');
  });

  it('stays quiet on http, and once TRUST_PROXY is set', () => {
    expect(proxyWarning(loadConfig({}))).toBeUndefined();
    expect(proxyWarning(loadConfig({ BASE_URL: 'http://katilim.example.org' }))).toBeUndefined();
    expect(proxyWarning(loadConfig({ BASE_URL: 'https://katilim.example.org', TRUST_PROXY: '1' }))).toBeUndefined();
    expect(proxyWarning(loadConfig({ BASE_URL: 'https://katilim.example.org', TRUST_PROXY: 'loopback' }))).toBeUndefined();
  });
});
