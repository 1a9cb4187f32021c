export function staleReason(): string | null;
export function build(): void;
export function ensureBuilt(): void;
