// The import graph runs one way (STYLE.md, habit 12):
//   domain → db → Broadstreet client → sync core → GraphQL types → http/app
// `npm test` runs this check (scripts/test.mjs); test/layering.test.ts shows
// it catching a cycle and a backward import.
const GRAPHQL = '^src/(graphql/|[^/]+/[^/]+\\.(schema|mutations)\\.ts$)';
const APP = '^src/((app|main|worker|demo|services)\\.ts$|http/|dashboard/)';
const SYNC_CORE = '^src/(sync/|scaleout/|pubsub\\.ts$|[^/]+/[^/]+\\.sync\\.ts$)';
const DB = '^src/db/';
const CLIENT = '^src/broadstreet/';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Import cycles hide who depends on whom.', from: {}, to: { circular: true } },
    {
      name: 'domain-is-the-bottom',
      severity: 'error',
      comment:
        'Domain types, rules and errors depend on nothing of the server. refs.ts and writes.ts are the entity write helpers: they read the database.',
      from: { path: '^src/domain/', pathNot: '^src/domain/(refs|writes)\\.ts$' },
      to: { path: [DB, CLIENT, SYNC_CORE, GRAPHQL, APP] },
    },
    {
      name: 'db-below-client-and-sync',
      severity: 'error',
      from: { path: DB },
      to: { path: [CLIENT, SYNC_CORE, GRAPHQL, APP] },
    },
    {
      name: 'client-never-touches-the-database',
      severity: 'error',
      comment: 'The Broadstreet client speaks HTTP only; the sync core joins it to the database.',
      from: { path: CLIENT },
      to: { path: [DB, SYNC_CORE, GRAPHQL, APP] },
    },
    {
      name: 'sync-core-below-graphql',
      severity: 'error',
      comment:
        'The sync core (outside its *.schema.ts) never imports the GraphQL layer: record types it shares with GraphQL live on the sync side.',
      from: { path: SYNC_CORE, pathNot: '\\.schema\\.ts$' },
      to: { path: [GRAPHQL, APP] },
    },
    {
      name: 'graphql-below-app',
      severity: 'error',
      from: { path: GRAPHQL },
      to: { path: APP },
    },
    {
      name: 'entity-services-below-graphql',
      severity: 'error',
      comment: 'Entity services and rules write and check rows; resolvers call them, never the other way.',
      from: { path: '^src/[^/]+/[^/]+\\.(service|rules)\\.ts$' },
      to: { path: [GRAPHQL, APP] },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    exclude: { path: ['^src/generated/', '^src/dashboard/public/'] },
    // Type-only imports count: a type pulled from the GraphQL layer is a backward arrow too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mjs', '.js'] },
  },
};
