// Item 4: database statements for the realistic page query (item 3's) over a
// network of 10 and of 1,000 placements, counted with observeQueries: a
// number that grows with the data would be an N+1.
import { observeQueries } from '../src/db/query-events.ts';
import { startBenchApp } from './lib/app.ts';
import { PLACEMENT_PAGE, seedPlacements } from './lib/seed-placements.ts';
import type { Benchmark } from './lib/types.ts';

export const queryCount: Benchmark = {
  name: 'query-count',
  title: 'Item 4 — database statements per operation',
  async run({ log }) {
    const app = await startBenchApp({});
    try {
      const sizes = [10, 1000];
      for (const size of sizes) await seedPlacements(app.db, size, size);
      const counts: { size: number; statements: string[]; edges: number }[] = [];
      for (const size of sizes) {
        await app.graphql(PLACEMENT_PAGE, { networkId: size }); // warm: caches, prepared plans
        const statements: string[] = [];
        const stop = observeQueries((event) => statements.push(event.query));
        const data = await app.graphql(PLACEMENT_PAGE, { networkId: size });
        stop();
        counts.push({ size, statements, edges: data.placements.edges.length });
        log(`  ${size} placements: ${statements.length} statements for a page of ${data.placements.edges.length}`);
      }
      const [small, large] = counts as [(typeof counts)[0], (typeof counts)[0]];
      return {
        rows: [
          ...counts.map((c) => ({
            item: '4',
            measure: `statements for a page of 50 placements, network of ${c.size}`,
            value: c.statements.length,
            unit: '',
            note: `page held ${c.edges} placements with campaign, advertiser, advertisement and zone`,
          })),
          {
            item: '4',
            measure: 'statements at 1,000 − statements at 10',
            value: large.statements.length - small.statements.length,
            unit: '',
            target: { op: '==', value: 0 },
            note: 'target: equal (no N+1)',
          },
        ],
        notes: ['Statements at 1,000 placements:', ...large.statements.map((s) => `  ${s.replace(/\s+/g, ' ').slice(0, 140)}`)],
      };
    } finally {
      await app.stop();
    }
  },
};
