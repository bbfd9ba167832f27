import * as core from '@ai-security-monitor/core';
import { describe, expect, it } from 'vitest';
import * as adapter from '../src/index.js';

describe('public exports of @ai-security-monitor/express', () => {
  it('are the adapter plus everything from core', () => {
    const own = Object.keys(adapter)
      .filter((k) => !(k in core))
      .sort();
    expect(own).toEqual(['aiSecurity', 'summaryHandler']);
    for (const name of Object.keys(core)) expect(adapter).toHaveProperty(name);
  });
});
