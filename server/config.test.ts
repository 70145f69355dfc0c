import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('CONF-1: with nothing set, the embedded defaults apply', () => {
    const config = loadConfig({}, '/srv/rt');
    expect(config).toMatchObject({ host: 'localhost', port: 3000, dataDir: path.resolve('/srv/rt/data'), logLevel: 'info' });
  });

  it('CONF-2: values are read and DATA_DIR is resolved against the working directory', () => {
    const config = loadConfig({ HOST: '0.0.0.0', PORT: '8080', DATA_DIR: 'var/rt', LOG_LEVEL: 'debug' }, '/srv');
    expect(config).toMatchObject({ host: '0.0.0.0', port: 8080, dataDir: '/srv/var/rt', logLevel: 'debug' });
  });

  it('CONF-3: an empty variable counts as unset', () => {
    expect(loadConfig({ PORT: '' }).port).toBe(3000);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '3.5'],
    ['LOG_LEVEL', 'loud'],
    ['MAX_MESSAGE_BYTES', '0'],
    ['MAX_DOCUMENT_BYTES', 'lots'],
  ])('CONF-4: %s=%s is refused with a message naming the variable and its value', (key, value) => {
    let error: unknown;
    try {
      loadConfig({ [key]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(`${key}="${value}"`);
  });

  it('CONF-5: every bad variable is reported at once', () => {
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'y' })).toThrow(/PORT="x"[\s\S]*LOG_LEVEL="y"|LOG_LEVEL="y"[\s\S]*PORT="x"/);
  });
});
