/**
 * Posters left with no genre suggestions (an import stopped by a crash, or closed while they were
 * being made) get them from here: the same tag job as the command line's `tag`, with its progress
 * and Cancel in the usual job bar. Shown only while there are such posters and nothing else is
 * making suggestions.
 */
import { useEffect, useState } from 'react';
import { Alert, Box, Button } from '@mui/material';
import { JobBar, useJob } from '../../components/jobs';
import { count } from '../../components/plural';

export function SuggestGenresBanner({ without, busy, onDone }: { without: number; busy: boolean; onDone: () => void }) {
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const job = useJob(jobId, 'tag');
  const running = job?.state === 'running';
  useEffect(() => {
    if (job && job.state !== 'running') onDone();
  }, [job?.state]);
  const start = async () => {
    setError(null);
    try {
      setJobId((await window.api.tag.start({ all: false })).jobId);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const offer = without > 0 && !busy && !running;
  if (!offer && !job && !error) return null;
  return (
    <Box data-testid="suggest-genres">
      {offer && (
        <Alert
          severity="info"
          sx={{ mb: 1 }}
          action={
            <Button color="inherit" size="small" onClick={() => void start()} data-testid="suggest-genres-start">
              Suggest genres now
            </Button>
          }
        >
          {count(without, 'poster')} {without === 1 ? 'has' : 'have'} no genre suggestions yet (an import was stopped before it made them).
        </Alert>
      )}
      {error && <Alert severity="error">{error}</Alert>}
      <JobBar progress={job} label="Suggesting genres" />
    </Box>
  );
}
