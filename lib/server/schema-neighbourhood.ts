/** How far from the focused table a focused picture reaches, along foreign keys in either direction. */
export type FocusHops = 1 | 2;

export interface TableLink {
  source: string;
  target: string;
}

/**
 * The focused table and every table within `hops` foreign keys of it. Direction is ignored: a
 * reviewer looking at `orders` wants both the tables it references and the ones referencing it.
 */
export function tablesWithinHops(links: TableLink[], focus: string, hops: FocusHops): Set<string> {
  const neighbours = new Map<string, Set<string>>();
  const add = (a: string, b: string) => {
    if (!neighbours.has(a)) neighbours.set(a, new Set());
    neighbours.get(a)!.add(b);
  };
  for (const link of links) {
    add(link.source, link.target);
    add(link.target, link.source);
  }
  const reached = new Set([focus]);
  let frontier = [focus];
  for (let hop = 0; hop < hops; hop++) {
    const next: string[] = [];
    for (const table of frontier)
      for (const neighbour of neighbours.get(table) ?? [])
        if (!reached.has(neighbour)) {
          reached.add(neighbour);
          next.push(neighbour);
        }
    frontier = next;
  }
  return reached;
}
