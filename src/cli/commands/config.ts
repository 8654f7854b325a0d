// `vigil config check [files...]`: every problem of the stack files, with file:line.
import type { Command } from 'commander';
import { formatIssue, StackFileError } from '../../core/config/stack-file-error.ts';

export function addConfigCommands(program: Command): void {
  const config = program.command('config').description('stack file tools');
  config
    .command('check [files...]')
    .description('validate stack files (default ./vigil.yml) and report every problem with file:line')
    .action(async (files: string[]) => {
      const targets = files.length > 0 ? files : ['vigil.yml'];
      // Loaded on demand: `vigil serve` never needs the parser and schema in its own process.
      const { loadStack } = await import('../../core/config/load-stack.ts');
      try {
        const stack = await loadStack(targets);
        console.log(`${targets.join(', ')}: OK, ${stack.services.length} services (${stack.services.map((s) => s.name).join(', ')})`);
      } catch (err) {
        if (!(err instanceof StackFileError)) throw err;
        err.issues.forEach((i) => console.error(formatIssue(i)));
        process.exitCode = 1;
      }
    });
}
