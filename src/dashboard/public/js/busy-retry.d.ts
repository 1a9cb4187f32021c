// Types for the CLI, which imports busy-retry.js from TypeScript.
export function sendRetryingBusy(query: string, send: () => Promise<Response>): Promise<Response>;
