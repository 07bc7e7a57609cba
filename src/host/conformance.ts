/** `npm run check:theater`: would Theater c50b1871 link and run this component? */
import { readFile } from 'node:fs/promises';
import { componentSignatures } from './component-types.js';
import { THEATER_C50, conformanceProblems } from './linkable.js';

export interface ConformanceReport {
  ok: boolean;
  problems: string[];
  imports: string[];
  exports: string[];
}

export async function checkTheater(wasmPath: string): Promise<ConformanceReport> {
  const sigs = await componentSignatures(new Uint8Array(await readFile(wasmPath)));
  const problems = conformanceProblems(sigs);
  return { ok: problems.length === 0, problems, imports: Object.keys(sigs.imports), exports: Object.keys(sigs.exports) };
}

export const THEATER_COMMIT = THEATER_C50.commit;
