/**
 * A synthetic catalogue for the benchmarks: `n` posters over 90 years and 7 vendors, each with a
 * suggestion per genre (a fifth of them above threshold), every other poster reviewed with one label.
 */
import { listGenres } from '../../src/main/catalogue/genreRepository';
import type { CatalogueService } from '../../src/main/service';

/** Fills `service`'s (empty) catalogue; returns how many suggestions it wrote and the seconds it took. */
export function fillSyntheticCatalogue(service: CatalogueService, n: number): { suggestions: number; seconds: number } {
  const genres = listGenres(service.db);
  const insertPoster = service.db.prepare(
    `INSERT INTO posters (path, sha256, bytes, width, height, title, year, decade, vendor, imported_at, thumbnail, phash, reviewed_at)
     VALUES (?, ?, 900000, 1500, 2250, ?, ?, ?, ?, '2026-11-21T00:00:00Z', 'x.jpg', '0000000000000000', ?)`,
  );
  const insertSuggestion = service.db.prepare("INSERT INTO suggestions VALUES (?, ?, ?, ?, 'default-bench', '2026-11-21')");
  const insertLabel = service.db.prepare('INSERT INTO poster_labels VALUES (?, ?)');
  const t0 = performance.now();
  service.db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const year = 1930 + (i % 90);
      const id = Number(
        insertPoster.run(
          `/scans/vendor ${i % 7}/poster ${i}.jpg`,
          i.toString(16).padStart(64, '0'),
          `Film "${i}", part ${i % 3}`,
          year,
          year - (year % 10),
          `Vendor ${i % 7}`,
          i % 2 ? '2026-11-21' : null,
        ).lastInsertRowid,
      );
      genres.forEach((g, j) => insertSuggestion.run(id, g.id, ((i * 31 + j * 17) % 100) / 100, (i + j) % 5 === 0 ? 1 : 0));
      if (i % 2) insertLabel.run(id, genres[i % genres.length]?.id);
    }
  })();
  return { suggestions: n * genres.length, seconds: (performance.now() - t0) / 1000 };
}
