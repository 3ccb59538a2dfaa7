/**
 * Insights: people would rather look than read. The catalogue by decade, genre and vendor; review
 * progress and staff throughput per day; model quality per version, genre and decade with the
 * sample sizes; and where the model is least sure. Every chart has its figures as a table too.
 */
import { useState } from 'react';
import { Alert, Box, Button, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { ByDecade, ByGenre, ByVendor } from './CatalogueCharts';
import { LeastSure, QualityOverTime, QualityPerDecade, QualityPerGenre, trainedRuns } from './QualityCharts';
import { Progress, Throughput } from './ReviewCharts';
import { useInsights } from './useInsights';
import { count } from '../../components/plural';

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Box component="section" aria-label={title} sx={{ mb: 3 }}>
      <Typography variant="h6" component="h2" sx={{ mb: 1 }}>
        {title}
      </Typography>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' }, gap: 2 }}>{children}</Box>
    </Box>
  );
}

export function InsightsScreen() {
  const [days, setDays] = useState(30);
  const { insights, models, error, reload } = useInsights(days);
  const runs = trainedRuns(models?.versions ?? []);
  return (
    <Box data-testid="insights">
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 2 }}>
        <Typography variant="body1" sx={{ flexGrow: 1 }} data-testid="insights-summary">
          {insights ? `${count(insights.posters, 'poster')} · ${insights.reviewed} reviewed · ${count(runs.length, 'retrained model version')}` : 'Counting…'}
        </Typography>
        <TextField select size="small" label="Days shown" value={days} onChange={(e) => setDays(Number(e.target.value))} sx={{ minWidth: 140 }}>
          {[7, 30, 90].map((d) => (
            <MenuItem key={d} value={d}>
              last {d} days
            </MenuItem>
          ))}
        </TextField>
        <Button variant="outlined" onClick={reload}>
          Refresh
        </Button>
      </Stack>
      {error && (
        <Alert severity="error" sx={{ mb: 2 }}>
          {error}
        </Alert>
      )}
      {insights && (
        <>
          <Section title="Catalogue">
            <ByDecade data={insights.byDecade} />
            <ByVendor data={insights.byVendor} />
            <Box sx={{ gridColumn: { lg: 'span 2' } }}>
              <ByGenre data={insights.byGenre} />
            </Box>
          </Section>
          <Section title="Review">
            <Progress data={insights} />
            <Throughput data={insights.days} />
          </Section>
          <Section title="Model quality">
            <QualityOverTime runs={runs} />
            <QualityPerDecade runs={runs} />
            <Box sx={{ gridColumn: { lg: 'span 2' } }}>
              <QualityPerGenre runs={runs} />
            </Box>
          </Section>
          <Section title="Where the model is least sure">
            <LeastSure data={insights} />
          </Section>
        </>
      )}
    </Box>
  );
}
