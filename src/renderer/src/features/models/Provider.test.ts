import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { InferenceStatus } from '../../../../shared/types';
import { lastRunWords, plainPrecision, Provider } from './Provider';

const status = (provider: string, featurePrecision: string, precisionReason: string): InferenceStatus => ({
  provider,
  fallbacks: [],
  featureModel: 'clip-vit-b32',
  squareStrategy: 'squash',
  featurePrecision,
  precisionReason,
  headVersion: 'v0',
});
/** The words of one part of the provider line, by test id. */
const part = (s: InferenceStatus, testId: string) =>
  new RegExp(`data-testid="${testId}"[^>]*>(.*?)</p>`)
    .exec(renderToStaticMarkup(createElement(Provider, { status: s, rate: 'last import ran at 9.5 posters a second', exact: false })))?.[1]
    ?.replace(/<[^>]+>/g, '');

describe('the provider line', () => {
  it('says which provider runs the models and its speed mode in plain words, the instruction set only in the technical details', () => {
    const cpu = status('cpu', 'int8', 'the CPU has AVX-512 VNNI');
    expect(part(cpu, 'provider')).toBe(
      'Running on CPU (the computer’s own processor) · fast 8-bit mode, which this processor supports · last import ran at 9.5 posters a second',
    );
    expect(part(cpu, 'provider-technical')).toBe('Feature model clip-vit-b32 (squash, int8: the CPU has AVX-512 VNNI)');
  });

  it('names a graphics card provider as well as the CPU', () => {
    expect(part(status('cuda', 'fp32', 'CUDA runs the fp32 model'), 'provider')).toMatch(
      /^Running on CUDA \(the NVIDIA graphics card\) · standard 32-bit mode on the graphics card/,
    );
    expect(part(status('dml', 'fp32', 'DML runs the fp32 model'), 'provider')).toMatch(/^Running on DML \(DirectML: the graphics card\)/);
    expect(plainPrecision({ provider: 'cpu', featurePrecision: 'fp32' })).toBe('standard 32-bit mode');
  });

  it('says the last run\'s speed in words a slow run reads right too, never "0.0 posters a second"', () => {
    expect(lastRunWords({ kind: 'import', posters: 95, seconds: 10, postersPerSecond: 9.5 })).toBe('last import ran at 9.5 posters a second');
    expect(lastRunWords({ kind: 'tag', posters: 2, seconds: 50, postersPerSecond: 0.04 })).toBe('last tag ran at about 25 s per poster');
    expect(lastRunWords(null)).toBe('throughput shows after the next import or tag run');
  });
});
