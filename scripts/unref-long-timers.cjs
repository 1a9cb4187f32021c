// Preloaded into the Prisma CLI when it migrates PostgreSQL: its schema engine
// leaves a 10-second lock timer armed after the work is done, which keeps the
// process alive for ten idle seconds. Unref'd, that timer still fires if the
// process is still busy, but no longer holds an idle process open.
const setTimeoutOriginal = globalThis.setTimeout;
globalThis.setTimeout = function setTimeoutUnrefLong(callback, ms, ...args) {
  const timer = setTimeoutOriginal(callback, ms, ...args);
  if (typeof ms === 'number' && ms >= 5000 && typeof timer?.unref === 'function') timer.unref();
  return timer;
};
