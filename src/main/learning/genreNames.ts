/**
 * Heads and the base pool know genres by the names they had when they were trained; staff may have
 * renamed a genre since ("Science Fiction" → "Sci-Fi" for the shop). Every head version keeps the
 * genre id of each of its outputs, so the name it knew leads to the genre's name now, and a renamed
 * genre keeps what was learned for it (the parent head's weights, the base pool's examples).
 */
import { existsSync, statSync } from 'node:fs';
import { listGenres } from '../catalogue/genreRepository';
import type { ModelVersion } from '../catalogue/modelRepository';
import type { Db } from '../db/open';
import { readHeadFile, readHeadInfo, type HeadInfo } from '../inference/genreHead';

/** Each head file's metadata, read once per file and change (a missing or broken file says nothing). */
const infoByFile = new Map<string, HeadInfo | undefined>();
export function headInfoOf(file: string): HeadInfo | undefined {
  const key = existsSync(file) ? `${file}:${statSync(file).mtimeMs}` : file;
  if (!infoByFile.has(key)) {
    let info: HeadInfo | undefined;
    try {
      info = readHeadInfo(readHeadFile(file), file);
    } catch {
      info = undefined;
    }
    infoByFile.set(key, info);
  }
  return infoByFile.get(key);
}

/** The names of `version`'s outputs as the catalogue calls those genres now (`names`: as the head knows them). */
export function namesNow(db: Db, version: ModelVersion, names: readonly string[]): string[] {
  const ids = version.genreIds;
  if (!ids || ids.length !== names.length) return [...names];
  const now = new Map(listGenres(db, { includeRetired: true }).map((g) => [g.id, g.name]));
  return names.map((name, k) => {
    const id = ids[k];
    return (id !== null && id !== undefined && now.get(id)) || name;
  });
}

/**
 * The shipped head's genre names (lower case) → their names now, for those renamed since: the base
 * pool was labelled with the shipped head's vocabulary.
 */
export function shippedNamesNow(db: Db, versions: readonly ModelVersion[]): Map<string, string> {
  const shipped = versions.find((m) => m.run === 0 && m.decade === null);
  const names = shipped && headInfoOf(shipped.file)?.genres;
  if (!shipped || !names) return new Map();
  const now = namesNow(db, shipped, names);
  return new Map(names.flatMap((name, k) => (now[k] !== name ? [[name.toLowerCase(), now[k] as string] as const] : [])));
}
