// GraphiQL from the installed package (@graphql-yoga/render-graphiql bundles
// GraphiQL, its editor workers and styles into the page), not from a public
// CDN as Yoga's built-in page does: it loads on a machine without internet.
import type { GraphiQLOptions } from 'graphql-yoga';

let renderer: Promise<(options?: GraphiQLOptions) => string> | undefined;
const pages = new Map<string, string>();

/**
 * Yoga's `renderGraphiQL`. The bundle (9 MB) is loaded on the first page
 * asked for, not at start-up; the page is built once per set of options.
 */
export async function renderOfflineGraphiQL(options?: GraphiQLOptions): Promise<string> {
  const key = JSON.stringify(options ?? {});
  const cached = pages.get(key);
  if (cached) return cached;
  renderer ??= import('@graphql-yoga/render-graphiql').then((module) => module.renderGraphiQL);
  const page = (await renderer)(options);
  pages.set(key, page);
  return page;
}
