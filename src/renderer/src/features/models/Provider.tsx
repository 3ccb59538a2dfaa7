/**
 * Which execution provider runs the models, always said, in plain words first ("Running on CPU
 * (the computer’s own processor) · fast 8-bit mode"); the feature model, its precision and why
 * with the exact figures; provider failures as a sentence, onnxruntime's words on demand.
 */
import { useState } from 'react';
import { Box, Button, Collapse, Stack, Typography } from '@mui/material';
import type { Throughput } from '../../../../shared/throughput';
import type { InferenceStatus } from '../../../../shared/types';
import { speed } from '../../components/jobs';
import { explainFallback } from '../../../../shared/providers';

/** What each execution provider is, for someone who does not know the name. */
const PROVIDER_IS: Record<string, string> = {
  cpu: 'the computer’s own processor',
  cuda: 'the NVIDIA graphics card',
  dml: 'DirectML: the graphics card',
  webgpu: 'WebGPU: the graphics card',
};

/** The feature model's precision in plain words: what it means for speed, not how it is stored. */
export function plainPrecision(status: Pick<InferenceStatus, 'provider' | 'featurePrecision'>): string {
  if (status.featurePrecision === 'int8') return 'fast 8-bit mode, which this processor supports';
  return status.provider === 'cpu' ? 'standard 32-bit mode' : 'standard 32-bit mode on the graphics card';
}

/** The last import or tag run's speed, in words: "9.5 posters a second", or for a slow run "about 12 s per poster" (never "0.0"). */
export function lastRunWords(rate: Throughput | null): string {
  const words = rate && speed(rate.postersPerSecond, 'poster');
  return rate && words ? `last ${rate.kind} ran at ${words}` : 'throughput shows after the next import or tag run';
}

export function Provider({ status, rate, exact }: { status: InferenceStatus; rate: string; exact: boolean }) {
  const [details, setDetails] = useState(false);
  const fallbacks = status.fallbacks.map((f) => ({ provider: f.provider, ...explainFallback(f.provider, f.reason) }));
  const is = PROVIDER_IS[status.provider];
  return (
    <Box sx={{ mt: 1 }}>
      <Typography data-testid="provider">
        Running on <b>{status.provider.toUpperCase()}</b>
        {is ? ` (${is})` : ''} · <span data-testid="plain-precision">{plainPrecision(status)}</span> · {rate}
      </Typography>
      {/* Always in the page (read by tests and screen readers' find), shown with the exact figures. */}
      <Collapse in={exact}>
        <Typography variant="body2" color="text.secondary" data-testid="provider-technical">
          Feature model {status.featureModel} ({status.squareStrategy}, <span data-testid="feature-precision">{status.featurePrecision}</span>:{' '}
          {status.precisionReason})
        </Typography>
      </Collapse>
      {fallbacks.length > 0 && (
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          <Typography data-testid="provider-fallback">{fallbacks.map((f) => f.summary).join(' ')}</Typography>
          <Button size="small" onClick={() => setDetails((d) => !d)} aria-expanded={details} aria-controls="provider-details">
            {details ? 'Hide details' : 'Details'}
          </Button>
        </Stack>
      )}
      <Collapse in={details} id="provider-details">
        <Box component="ul" sx={{ fontFamily: 'monospace', fontSize: 13, m: 0, pl: 3 }} data-testid="provider-details">
          {fallbacks.map((f) => (
            <li key={f.provider}>
              {f.provider}: {f.detail}
            </li>
          ))}
        </Box>
      </Collapse>
    </Box>
  );
}
