// `vigil import <Procfile|ecosystem.config.js>`: writes a vigil.yml.
import type { Command } from 'commander';

export function addImportCommand(program: Command): void {
  program
    .command('import <file>')
    .description('write a vigil.yml from a Procfile or a PM2 ecosystem.config.js')
    .option('-o, --output <file>', 'where to write ("-" for stdout)', 'vigil.yml')
    .option('--force', 'overwrite the output file if it exists')
    .action(async (file: string, opts: { output: string; force?: boolean }) => {
      const { importServices, renderStackYaml, writeStackFile } = await import('../../core/config/importers/imported-stack.ts');
      const { kind, services } = await importServices(file);
      const yaml = renderStackYaml(services, file);
      if (opts.output === '-') return void process.stdout.write(yaml);
      writeStackFile(opts.output, yaml, opts.force === true);
      console.log(`imported ${services.length} services from ${kind} ${file} into ${opts.output}`);
    });
}
