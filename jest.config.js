// Jest's configuration. `TEST_ENGINE=postgres npm test` runs the suite on PostgreSQL (README,
// "Running the tests on PostgreSQL"); these test files are left to the SQLite pass there:
const sqliteOnly = [
  // The browser suite runs on one engine: it tests pages, which read the same repositories.
  '/test/browser/',
  '[.-]browser\\.test\\.ts$',
  // Tests of SQLite itself (file locks, pragmas): named *-sqlite.test.ts.
  '[.-]sqlite\\.test\\.ts$',
  // SQLite itself: its backup API, another process holding its write lock, a file pinned at its
  // size. (PostgreSQL's counterparts, a lock held elsewhere and a refused write, are mapped by
  // the same db-errors.ts and tested on both passes: storage-errors and postgres-driver tests.)
  '/test/platform/backup\\.test\\.ts$',
  '/test/platform/db\\.test\\.ts$',
  '/test/platform/db-lock\\.test\\.ts$',
  '/test/faults/locked-database\\.test\\.ts$',
  '/test/faults/full-disk\\.test\\.ts$',
  // The fuzz tells a refused post from a stored one by SQLite's total_changes() after each of
  // 10,000 posts; its subject, the forms' validation, is the same on both engines.
  '/test/faults/fuzz\\.test\\.ts$',
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testTimeout: 20000,
  maxWorkers: '100%',
  testPathIgnorePatterns: ['/node_modules/', ...(process.env.TEST_ENGINE === 'postgres' ? sqliteOnly : [])],
};
