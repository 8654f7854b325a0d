// The app's own command-line options (pure): `electron . -c vigil.yml --port 7400`, the same
// names as `vigil serve`. Chromium's and Electron's switches are left alone.
export interface AppArgs {
  files: string[];
  port?: number;
  watch: boolean;
  errors: string[];
}

export function parseAppArgs(argv: string[]): AppArgs {
  const result: AppArgs = { files: [], watch: true, errors: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    if (name === '-c' || name === '--config') {
      const file = value();
      if (file === undefined || file === '') result.errors.push(`${name} needs a stack file`);
      else result.files.push(file);
    } else if (name === '-p' || name === '--port') {
      const text = value();
      const port = Number(text);
      if (!Number.isInteger(port) || port < 1 || port > 65535) result.errors.push(`${name} expects a port number (1-65535), got "${text ?? ''}"`);
      else result.port = port;
    } else if (name === '--no-watch') {
      result.watch = false;
    }
  }
  return result;
}
