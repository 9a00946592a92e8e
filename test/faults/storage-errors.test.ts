// Which errors the error handler answers with 503 + Retry-After: SQLite saying the storage is
// unavailable for now, never a bug such as a broken constraint or a bad query.
import express from 'express';
import request from 'supertest';
import { errorHandler, isStorageUnavailable } from '../../server/platform/http/error-handler';
import { createI18n } from '../../server/platform/i18n/i18n';

const sqliteError = (code: string) => Object.assign(new Error(code), { code });

describe('isStorageUnavailable', () => {
  it.each(['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_READONLY_DBMOVED', 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_IOERR_WRITE', 'SQLITE_IOERR_FSYNC', 'SQLITE_CANTOPEN'])('%s is unavailable storage', (code) => {
    expect(isStorageUnavailable(sqliteError(code))).toBe(true);
    // Also when a service wrapped it.
    expect(isStorageUnavailable(new Error('saving failed', { cause: sqliteError(code) }))).toBe(true);
  });

  it.each(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_ERROR', 'SQLITE_MISMATCH', 'SQLITE_CORRUPT', 'SQLITE_FULLX', 'EBADCSRFTOKEN', 'ENOENT'])('%s is not', (code) => {
    expect(isStorageUnavailable(sqliteError(code))).toBe(false);
  });

  // PostgreSQL's SQLSTATE codes (db-errors.ts): a lock wait that ran out, a serialisation failure,
  // a full disk, a read-only standby, a server shutting down or not answering.
  it.each(['55P03', '40001', '40P01', '57014', '53300', '53100', '25006', '57P01', '57P03', '08006', '08001', 'ECONNREFUSED'])('PostgreSQL %s is unavailable storage', (code) => {
    expect(isStorageUnavailable(sqliteError(code))).toBe(true);
  });

  it.each(['23505', '23503', '23514', '42P01', '42703', '22P02'])('PostgreSQL %s is not (a constraint or a bad query is a bug)', (code) => {
    expect(isStorageUnavailable(sqliteError(code))).toBe(false);
  });

  it('is false for errors without a code', () => {
    expect(isStorageUnavailable(new Error('x'))).toBe(false);
    expect(isStorageUnavailable(undefined)).toBe(false);
    expect(isStorageUnavailable('SQLITE_FULL')).toBe(false);
  });
});

describe('the error handler on storage errors', () => {
  const logged: unknown[] = [];
  const app = express();
  app.set('view engine', 'ejs');
  app.get('/full', () => {
    throw sqliteError('SQLITE_FULL');
  });
  app.get('/constraint', () => {
    throw sqliteError('SQLITE_CONSTRAINT_UNIQUE');
  });
  app.use(errorHandler(createI18n(), (error) => logged.push(error)));

  it('answers 503 with Retry-After and the unavailable message, and logs it', async () => {
    const response = await request(app).get('/full').set('Accept', 'application/json');
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('30');
    expect(response.body.error.title).toBe('Şu anda kaydedilemiyor');
    expect(logged).toHaveLength(1);
  });

  it('keeps other database errors a 500', async () => {
    const response = await request(app).get('/constraint').set('Accept', 'application/json');
    expect(response.status).toBe(500);
    expect(response.headers['retry-after']).toBeUndefined();
  });
});
