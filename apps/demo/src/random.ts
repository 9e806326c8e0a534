/** An integer in `[min, max]`, uniform. */
export function randomInt(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

/**
 * A work time in ms between `min` and `max`, skewed towards `min` with a long tail
 * (`skew` > 1), like real I/O: most calls are quick, a few are slow.
 */
export function workTime(min: number, max: number, skew: number): number {
  return Math.round(min + (max - min) * Math.random() ** skew);
}

/** One of `choices`, picked with probability proportional to its weight. */
export function pickWeighted<T>(choices: readonly (readonly [weight: number, value: T])[]): T {
  const total = choices.reduce((sum, [w]) => sum + w, 0);
  let r = Math.random() * total;
  for (const [w, value] of choices) {
    r -= w;
    if (r < 0) return value;
  }
  return (choices[choices.length - 1] as readonly [number, T])[1];
}
