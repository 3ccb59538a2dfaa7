/** The only code of the Insights feature that talks to window.api: the catalogue's figures and the model versions. */
import { useCallback, useEffect, useState } from 'react';
import type { Insights, ModelsOverview } from '../../../../shared/types';

export function useInsights(days: number) {
  const [insights, setInsights] = useState<Insights | null>(null);
  const [models, setModels] = useState<ModelsOverview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    setError(null);
    const fail = (e: Error) => setError(e.message);
    // Days are counted in this computer's time zone (minutes east of UTC).
    window.api.insights
      .get({ days, tzOffsetMinutes: -new Date().getTimezoneOffset(), timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone })
      .then(setInsights, fail);
    window.api.models.list().then(setModels, fail);
  }, [days]);
  useEffect(load, [load]);
  return { insights, models, error, reload: load };
}
