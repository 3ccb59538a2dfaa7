/** The only code of the Models feature that talks to window.api: the overview, the provider, and the jobs it starts. */
import { useCallback, useEffect, useState } from 'react';
import type { Throughput } from '../../../../shared/throughput';
import type { InferenceStatus, ModelsOverview } from '../../../../shared/types';
import { isOffline } from '../../api/connection';
import { useJob } from '../../components/jobs';

export function useModels() {
  const [overview, setOverview] = useState<ModelsOverview | null>(null);
  const [status, setStatus] = useState<InferenceStatus | null>(null);
  const [lastRate, setLastRate] = useState<Throughput | null>(null);
  const [trainId, setTrainId] = useState<string | null>(null);
  const [retagId, setRetagId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** What the last Roll back returned to. */
  const [rolledBack, setRolledBack] = useState<string[] | null>(null);
  const train = useJob(trainId, 'train');
  const retag = useJob(retagId, 'retag');
  // A lost or restarted host is said once, app-wide, not again in this screen's own box.
  const fail = (e: Error) => !isOffline(e) && setError(e.message);

  const load = useCallback(() => {
    window.api.models.list().then(setOverview, fail);
    window.api.inference.status().then(setStatus, fail);
    // Kept in the catalogue: the job list forgets a finished run (after an hour, or a restart).
    window.api.stats.get().then((stats) => setLastRate(stats.throughput), fail);
    window.api.jobs.list().then((jobs) => {
      // A retraining started before this screen opened (or from another window) shows here too.
      const running = jobs.find((j) => j.kind === 'train' && j.state === 'running');
      if (running) setTrainId((id) => id ?? running.jobId);
    }, fail);
  }, []);
  useEffect(load, [load]);
  useEffect(() => {
    if (train && train.state !== 'running') load();
  }, [train?.state, load]);
  useEffect(() => {
    if (retag && retag.state !== 'running') load();
  }, [retag?.state, load]);

  const switchTo = async (what: () => Promise<{ jobId: string; versions: string[] }>, rollback: boolean) => {
    setError(null);
    setRolledBack(null);
    try {
      const { jobId, versions } = await what();
      setRetagId(jobId);
      if (rollback) setRolledBack(versions);
      load();
    } catch (e) {
      fail(e as Error);
    }
  };
  return {
    overview,
    status,
    lastRate,
    train,
    retag,
    error,
    rolledBack,
    retrain: async () => {
      setError(null);
      try {
        setTrainId((await window.api.models.train({})).jobId);
      } catch (e) {
        fail(e as Error);
      }
    },
    activate: (version: string) => void switchTo(() => window.api.models.activate({ version }), false),
    rollback: () => void switchTo(() => window.api.models.rollback(), true),
    setAutoActivate: (on: boolean) => void window.api.models.autoActivate({ on }).then(load, fail),
  };
}
