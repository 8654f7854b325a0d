// The packaged app's Electron fuses, read from electron-builder.yml and checked against
// electron-builder's own schema: a misspelt fuse would otherwise be ignored without a word
// (or fail only at packaging time, which this machine cannot run).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../helpers/stack.ts';

const config = parse(readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's schema", () => {
    const schema = JSON.parse(readFileSync(path.join(ROOT, 'node_modules/app-builder-lib/scheme.json'), 'utf8'));
    // ajv comes with electron-store (through conf); a CommonJS module seen from ESM.
    const ajv = new Ajv.default({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('flips the fuses that turn the app binary into a general Node runtime or debugger off', () => {
    expect(config.electronFuses).toEqual({
      // ELECTRON_RUN_AS_NODE=1 would make the signed app run any script
      runAsNode: false,
      // NODE_OPTIONS=--require=... would load any code into the app
      enableNodeOptionsEnvironmentVariable: false,
      // --inspect / SIGUSR1 would open a debugger on the app's main process
      enableNodeCliInspectArguments: false,
      // the app code is the one packaged, checked against its hash
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      // the dashboard is served from vigil://, so file:// pages need no extra powers
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
    });
  });

  it('keeps the app in an asar archive, which the integrity fuses need', () => {
    expect(config.asar).not.toBe(false);
  });
});
