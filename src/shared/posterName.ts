/**
 * A poster as a person recognises it — its title (or, with none, its scan's file name), the vendor
 * and the year where known — rather than its catalogue id, which staff never see on a poster. The id
 * is said only when there is nothing else.
 */
interface Named {
  id: number;
  title: string | null;
  path?: string;
  vendor: string | null;
  year: number | null;
}

/** The last part of a path, whichever separator the scan's folder used. */
export const fileName = (path: string | undefined): string => path?.split(/[\\/]/).pop()?.trim() ?? '';

/** Its title, or with none its scan's file name; null with neither (a message then says "Poster 186"). */
export const titleOrFile = (p: Pick<Named, 'title' | 'path'>): string | null => p.title?.trim() || fileName(p.path) || null;

/** "Dracula (Acme Posters, 1931)"; "dracula-02.jpg (1931)" without a title; "poster 186" with nothing known. */
export function posterName(p: Named): string {
  const name = titleOrFile(p) ?? `poster ${p.id}`;
  const known = [p.vendor?.trim(), p.year?.toString()].filter(Boolean);
  return known.length ? `${name} (${known.join(', ')})` : name;
}
