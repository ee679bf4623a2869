/**
 * Runs a callback at most once per animation frame, however many events arrive in between: a symbol that
 * ticks 50 times a second still renders at most 60 times, and a hidden tab renders not at all.
 */
export function createFrameScheduler(flush: () => void): () => void {
  let scheduled = false;
  const run = () => {
    scheduled = false;
    flush();
  };
  return () => {
    if (scheduled) return;
    scheduled = true;
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(run);
    else setTimeout(run, 16);
  };
}
