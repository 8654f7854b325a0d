// Entry point of the bundled CLI (dist/cli.mjs).
import { main } from './main.ts';

await main(process.argv);
