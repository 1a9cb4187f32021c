// Wall-clock milliseconds with sub-millisecond resolution, comparable across
// processes on one machine (publish in one, receive in another).
export const now = (): number => performance.timeOrigin + performance.now();
