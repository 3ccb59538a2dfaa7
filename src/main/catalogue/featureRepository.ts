/** Cached image features per poster and feature model: changing the head never re-runs ResNet50. */
import type { Db } from '../db/open';
import { prepared } from '../db/statements';

export function saveFeatures(db: Db, posterId: number, featureModel: string, vector: Float32Array): void {
  prepared(db, 'INSERT OR REPLACE INTO features (poster_id, feature_model, vector) VALUES (?, ?, ?)').run(
    posterId,
    featureModel,
    Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength),
  );
}

export function loadFeatures(db: Db, posterId: number, featureModel: string): Float32Array | undefined {
  const blob = prepared(db, 'SELECT vector FROM features WHERE poster_id = ? AND feature_model = ?').pluck().get(posterId, featureModel) as Buffer | undefined;
  if (!blob) return undefined;
  return new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
}

export function countFeatures(db: Db, featureModel: string): number {
  return prepared(db, 'SELECT count(*) FROM features WHERE feature_model = ?').pluck().get(featureModel) as number;
}
