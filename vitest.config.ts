import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// The suite runs against embedded PGlite always, and against a real
// PostgreSQL when TEST_DATABASE_URL is set or a Docker engine lets
// testcontainers start one (tests/setup/postgres-global.ts decides which).
const dockerPresent = Boolean(process.env.DOCKER_HOST) || existsSync('/var/run/docker.sock');
const realPostgres = Boolean(process.env.TEST_DATABASE_URL) || dockerPresent;
if (!realPostgres) {
  console.warn(
    '[tests] real PostgreSQL: NOT RUN. Set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test (or provide a Docker engine) to run the suite against PostgreSQL too; CI always does.',
  );
}

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'pglite',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/setup/pglite-global.ts'],
          env: { TEST_BACKEND: 'pglite' },
        },
      },
      ...(realPostgres
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: ['tests/integration/**/*.test.ts', 'tests/postgres/**/*.test.ts'],
                globalSetup: ['tests/setup/postgres-global.ts'],
                env: { TEST_BACKEND: 'postgres' },
              },
            },
          ]
        : []),
    ],
  },
});
