// Jest's configuration. `TEST_ENGINE=postgres npm test` runs the suite on PostgreSQL (README,
// "Running the tests on PostgreSQL"); these test files are left to the SQLite pass there:
const sqliteOnly = [
  // The browser suite runs on one engine: it tests pages, which read the same repositories.
  '/test/browser/',
  '[.-]browser\\.test\\.ts$',
  // Tests of SQLite itself (file locks, pragmas): named *-sqlite.test.ts.
  '[.-]sqlite\\.test\\.ts$',
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
