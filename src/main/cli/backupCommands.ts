/** `backup`, `backups`, `restore`, `check`: the catalogue's backups and health on the command line. */
import { createInterface } from 'node:readline/promises';
import type { BackupInfo, CatalogueHealth, JobProgress } from '../../shared/types';
import type { RebuildSummary } from '../../shared/types';
import { AppError } from '../errors';
import type { CatalogueService } from '../service';

const megabytes = (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MB`;

export const describeBackup = (b: BackupInfo): string =>
  `${b.name}  ${b.createdAt}  ${b.reason.padEnd(13)} ${b.posters} posters, ${b.reviewed} reviewed, ${b.labelChanges} label changes, ` +
  `${b.modelVersions} model versions  ${megabytes(b.bytes)}`;

/** What a person needs to hear when the catalogue failed its check: what happened, what is kept, what to type. */
export function damageWarning(h: CatalogueHealth): string {
  const lines = [
    `The catalogue ${h.dbPath} is damaged: SQLite's check found ${h.problems.slice(0, 3).join('; ')}.`,
    `It was opened read-only.${h.keptAside.length ? ` The file as it was found is kept at ${h.keptAside[0]}.` : ''}`,
  ];
  lines.push(
    h.offer
      ? `The newest backup that passes its check is ${h.offer.name} (${h.offer.createdAt}: ${h.offer.posters} posters, ${h.offer.reviewed} reviewed). ` +
          `Restore it with: restore ${h.offer.name} — the damaged file is kept aside, not deleted.`
      : `No undamaged backup was found in ${h.backupsFolder}.`,
  );
  return lines.join('\n');
}

/** Waits for a job of the service to end (Ctrl+C cancels it; what it did is kept). */
function untilDone(service: CatalogueService, jobId: string): Promise<JobProgress> {
  return new Promise((resolve) => {
    const check = (p: JobProgress | undefined) => {
      if (p && p.jobId === jobId && p.state !== 'running') {
        off();
        resolve(p);
      }
    };
    const off = service.jobs.subscribe(check);
    process.once('SIGINT', () => service.jobs.cancel(jobId));
    check(service.jobs.list().find((j) => j.jobId === jobId));
  });
}

/** A yes from --yes, or asked at the terminal; without a terminal (a script) it must be --yes. */
async function agreed(question: string, yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY) throw new AppError('confirmation-needed', `${question} Add --yes to go ahead.`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/** `backups --delete NAME`: says what goes, and asks (or takes --yes) before it goes. */
async function deleteOne(name: string, yes: boolean, service: CatalogueService): Promise<unknown> {
  const { backups } = service.listBackups();
  const backup = backups.find((b) => b.name === name);
  if (!backup) throw new AppError('backup-not-found', `There is no backup "${name}" of ${service.dbPath} to delete (see "backups").`);
  const only = backups.length === 1 ? ' It is the only backup of this catalogue.' : '';
  const what = `Delete ${backup.name} (${backup.posters} posters, ${backup.reviewed} reviewed, ${megabytes(backup.bytes)})? This cannot be undone.${only}`;
  if (!(await agreed(what, yes))) {
    console.log('Nothing was deleted.');
    return { deleted: null };
  }
  const deleted = await service.deleteBackup(name);
  console.log(`Deleted ${deleted.path}`);
  return { deleted };
}

export async function backupCommand(
  command: string,
  positionals: string[],
  values: { to?: string; yes?: boolean; folder?: string; full?: boolean; delete?: string; 'other-catalogue'?: boolean },
  service: CatalogueService,
  usage: (message: string) => Error,
): Promise<unknown> {
  switch (command) {
    case 'backup': {
      if (positionals.length) throw usage('backup takes no argument (use --to PATH for another folder)');
      const backup = await service.backupNow(values.to);
      console.log(`Backed up and verified: ${backup.path}`);
      console.log(`  ${describeBackup(backup)}`);
      return backup;
    }
    case 'backups': {
      if (positionals.length) throw usage('backups takes no argument (use --folder PATH to keep backups elsewhere, --delete NAME to delete one)');
      if (values.delete !== undefined) return deleteOne(values.delete, values.yes === true, service);
      if (values.folder !== undefined) {
        const folder = service.setBackupsFolder(values.folder === '' ? null : values.folder);
        console.log(`Backups of ${service.dbPath} now go to ${folder}`);
      }
      const { folder, backups } = service.listBackups();
      console.log(`Backups in ${folder}${backups.length ? '' : ': none yet'}`);
      for (const b of backups) console.log(describeBackup(b));
      return { folder, backups };
    }
    case 'restore': {
      const name = positionals[0];
      if (!name) throw usage('restore needs a backup (its name from "backups", its folder, or "latest")');
      const health = service.health();
      // Found first: a name that is not there, or another catalogue's folder, is said before anything is asked.
      const found = service.backups.find(name, { otherCatalogue: values['other-catalogue'] });
      const what = `Restore ${found.name} (${found.createdAt}: ${found.posters} posters, ${found.reviewed} reviewed) into ${service.dbPath}? ${health.damaged ? 'The damaged catalogue is copied aside first.' : 'The current state is backed up first, so this can be undone.'}`;
      if (!(await agreed(what, values.yes === true))) {
        console.log('Nothing was restored.');
        return { restored: null };
      }
      const summary = await service.restore(name, { otherCatalogue: values['other-catalogue'] });
      console.log(`Restored ${summary.restored.name}: ${summary.posters} posters, ${summary.reviewed} reviewed.`);
      if (summary.previous.backup) console.log(`The state before the restore is backed up as ${summary.previous.backup.name} (restore it to undo).`);
      for (const kept of summary.previous.keptAside) console.log(`The damaged file is kept at ${kept}`);
      const rebuilt = await untilDone(service, summary.rebuildJobId);
      if (process.stderr.isTTY) process.stderr.write('\n');
      const r = rebuilt.result as RebuildSummary | undefined;
      if (rebuilt.state !== 'succeeded' || !r) {
        console.log(
          `Thumbnails and image features were not all made again (${rebuilt.state}${rebuilt.message ? `: ${rebuilt.message}` : ''}); "tag --all" finishes the features.`,
        );
      } else {
        console.log(`Made again from the scans: ${r.thumbnails} thumbnails, image features of ${r.features} posters.`);
        if (r.featuresSkipped) console.log(`  image features not recomputed: ${r.featuresSkipped} ("tag --all" does it later)`);
        for (const f of r.failures) console.log(`  ${f.file}: ${f.reason}`);
      }
      return { ...summary, rebuild: r ?? null };
    }
    default: {
      // check [--full]
      const h = service.health(values.full);
      if (h.damaged || h.problems.length) console.log(damageWarning({ ...h, damaged: true }));
      else console.log(`The catalogue ${h.dbPath} passes SQLite's ${h.check === 'full' ? 'full integrity' : 'quick'} check.`);
      console.log(h.lastBackup ? `Latest backup: ${describeBackup(h.lastBackup)}` : `No backup yet in ${h.backupsFolder}.`);
      if (h.lastBackupError) console.log(h.lastBackupError);
      return h;
    }
  }
}
