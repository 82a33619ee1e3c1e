/**
 * Whether a parsed JSON value nests arrays and objects deeper than `max`
 * levels. Iterative, so a body nested 100,000 levels deep costs a loop, not
 * the stack that recursive walkers (validation, transformation) would overflow.
 */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
