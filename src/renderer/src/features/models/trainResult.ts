/**
 * What the last retraining's result says, read against the catalogue as it is now. Its figures
 * compare the new version with the model active when it was trained, so that model is named: once
 * the new version is activated (or another one is), "the active model" would be a different
 * model, or the new version itself.
 */
import type { ModelVersionInfo, TrainSummary } from '../../../../shared/types';
import { count } from '../../components/plural';
import { score } from './metrics';

/** "v1, the model active when it was trained"; "the model active when it was trained" when the catalogue did not record which. */
export function comparedWith(activeAtTraining: readonly string[]): string {
  if (activeAtTraining.length === 0) return 'the model active when it was trained';
  return `${activeAtTraining.join(', ')}, the ${activeAtTraining.length === 1 ? 'model' : 'models'} active when it was trained`;
}

/**
 * `info`: the new all-decades version as the catalogue lists it now (undefined until the list is
 * read again); `activeNow`: the versions active now.
 */
export function trainResultText(trained: TrainSummary, info: ModelVersionInfo | undefined, activeNow: readonly string[], exact: boolean): string {
  const version = trained.versions.find((v) => v.decade === null)?.version ?? `v${trained.run}`;
  const figures = exact
    ? `micro-F1 ${score(trained.candidate?.microF1, exact)} vs ${score(trained.active?.microF1, exact)}`
    : `${score(trained.candidate?.microF1, exact)} of genres right against ${score(trained.active?.microF1, exact)}`;
  const outcome =
    `${version} trained on ${count(trained.reviewed, 'reviewed poster')} in ${trained.seconds.toFixed(1)} s: ` +
    `it ${trained.wins ? 'beat' : 'did not beat'} ${comparedWith(info?.activeAtTraining ?? [])}, on the reviewed posters kept out to check it (${figures}).`;
  const isActive = info ? info.active : activeNow.includes(version);
  const now = isActive
    ? trained.activated === version
      ? ` It was activated automatically and is the active model now.`
      : ` It is the active model now.`
    : trained.activated === version
      ? ` It was activated automatically; ${activeNow.join(', ') || 'another model'} is active now.`
      : '';
  return outcome + now;
}

/** Fewer reviewed posters kept out than this, and one model beating another by a few points is chance. */
export const FEW_KEPT_OUT = 30;

/** What to say when the comparison rests on too few posters to tell two models apart (null: enough). */
export function fewKeptOutText(trained: TrainSummary): string | null {
  const n = trained.candidate?.n ?? trained.validation;
  if (n >= FEW_KEPT_OUT) return null;
  return (
    `Only ${count(n, 'reviewed poster')} ${n === 1 ? 'was' : 'were'} kept out to check it: too few to tell the two models apart. ` +
    `Review more posters and retrain; from about ${FEW_KEPT_OUT} kept out, the comparison starts to mean something.`
  );
}
