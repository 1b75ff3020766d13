import { existsSync, readFileSync } from 'node:fs';
import { CliExit, EXIT_ERROR, paths } from '../context.js';

function caPath(): string {
  const file = paths().caCert;
  if (!existsSync(file))
    throw new CliExit(EXIT_ERROR, `No llmgate CA yet at ${file}: it is created by \`llmgate start\`.`);
  return file;
}

export function caPathCommand(): void {
  process.stdout.write(`${caPath()}\n`);
}

export function caExport(): void {
  process.stdout.write(readFileSync(caPath(), 'utf8'));
}
