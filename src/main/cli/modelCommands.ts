/** `train`, `models`, `activate`, `rollback`: learning from staff on the command line. */
import type { MetricsSummary, ModelsOverview, TrainSummary } from '../../shared/types';
import type { CatalogueService } from '../service';

const f3 = (x: number) => x.toFixed(3);
const line = (m: MetricsSummary) => `micro-F1 ${f3(m.microF1)}  macro-F1 ${f3(m.macroF1)}  top-3 ${f3(m.top3HitRate)}  (n=${m.n})`;
const decadeName = (d: number | null) => (d === null ? 'all decades' : `${d}s`);

export function printTrain(s: TrainSummary): void {
  console.log(
    `Trained run ${s.run} on ${s.reviewed} reviewed posters (${s.validation} held out for validation) + ${s.basePool} base-pool posters in ${s.seconds.toFixed(1)} s` +
      (s.withoutFeatures ? `; ${s.withoutFeatures} reviewed posters skipped: no cached features (run "tag")` : ''),
  );
  if (s.candidate && s.active) {
    console.log(`  new    v${s.run}: ${line(s.candidate)}`);
    console.log(`  active now: ${line(s.active)}`);
  }
  for (const d of s.perDecade) {
    if (d.n > 0) console.log(`  ${decadeName(d.decade).padEnd(12)} new ${f3(d.candidate.microF1)}  active ${f3(d.active.microF1)}  (n=${d.n})`);
  }
  for (const d of s.decades) {
    if (d.status === 'too-few') {
      console.log(
        `  ${d.decade}s head: not tried, ${d.trainPosters} training / ${d.validationPosters} validation posters reviewed (needs ${d.minTrain} / ${d.minValidation})`,
      );
    } else {
      console.log(
        `  ${d.decade}s head: ${d.status === 'kept' ? 'KEPT' : 'lost'} — micro-F1 ${f3(d.candidate?.microF1 ?? 0)} vs all-decades ${f3(d.allDecades?.microF1 ?? 0)} on ${d.validationPosters} posters`,
      );
    }
  }
  const needing = s.genres.filter((g) => g.needs > 0);
  if (needing.length) console.log(`  not learned yet: ${needing.map((g) => `${g.genre} (needs ${g.needs} more)`).join(', ')}`);
  console.log(
    s.activated
      ? `Activated ${s.activated}; unreviewed posters were re-tagged.`
      : `${s.wins ? 'It beats' : 'It does not beat'} the active model. Activate with: activate v${s.run}`,
  );
}

export function printModels(o: ModelsOverview): void {
  console.log(`Active: ${o.active.map((a) => `${a.version} (${decadeName(a.decade)})`).join(', ') || 'none yet'}`);
  console.log(`Automatic activation when a new version wins: ${o.autoActivate ? 'on' : 'off'}; reviewed posters: ${o.reviewed}`);
  for (const v of o.versions) {
    const flags = [v.active ? 'ACTIVE' : '', v.decade !== null && !v.kept ? 'lost to all-decades' : ''].filter(Boolean).join(', ');
    console.log(`${v.version.padEnd(22)} ${decadeName(v.decade).padEnd(12)} ${v.createdAt}${flags ? `  [${flags}]` : ''}`);
    if (v.validation) {
      console.log(`    this version:         ${line(v.validation.candidate)}`);
      console.log(`    active when trained:  ${line(v.validation.active)}  (${v.activeAtTraining.join(', ')})`);
    } else if (v.shipped) {
      console.log(`    research validation split: micro-F1 ${f3(v.shipped.microF1)}  top-3 ${f3(v.shipped.top3HitRate)}`);
    }
  }
  const needing = o.genres.filter((g) => g.needs > 0);
  if (needing.length) console.log(`Genres not learned yet: ${needing.map((g) => `${g.genre} needs ${g.needs} more reviewed examples`).join('; ')}`);
}

export async function modelCommand(
  command: string,
  positionals: string[],
  values: { decade?: string; activate?: boolean },
  service: CatalogueService,
  cancelOnSigint: (jobId: string) => void,
  usage: (message: string) => Error,
): Promise<unknown> {
  switch (command) {
    case 'train': {
      const decade = values.decade === undefined ? null : Number(values.decade);
      if (decade !== null && (!Number.isInteger(decade) || decade % 10 !== 0))
        throw usage(`--decade needs the decade's first year, such as 1950 (got "${values.decade}")`);
      const { jobId, promise } = service.startTrain({ decade, autoActivate: values.activate ? true : undefined });
      cancelOnSigint(jobId);
      const summary = await promise;
      if (process.stderr.isTTY) process.stderr.write('\n');
      printTrain(summary);
      return summary;
    }
    case 'models': {
      if (positionals[0] === 'auto-activate') {
        const on = positionals[1];
        if (on !== 'on' && on !== 'off') throw usage('models auto-activate needs on or off');
        service.setAutoActivate(on === 'on');
      } else if (positionals.length) throw usage(`unknown models subcommand "${positionals[0]}"`);
      const overview = service.models();
      printModels(overview);
      return overview;
    }
    case 'activate':
    case 'rollback': {
      if (command === 'activate' && !positionals[0]) throw usage('activate needs a version (see "models")');
      const { versions, promise } = command === 'activate' ? service.activate(positionals[0] as string) : service.rollback();
      const retag = await promise;
      if (process.stderr.isTTY) process.stderr.write('\n');
      console.log(`Active: ${versions.map((v) => `${v.version} (${decadeName(v.decade)})`).join(', ')}; ${retag.rescored} unreviewed posters re-tagged`);
      return { versions: versions.map((v) => v.version), ...retag };
    }
    default:
      throw usage(`unknown command "${command}"`);
  }
}
