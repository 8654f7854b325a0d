// Turns a one-line command from another tool's config into Vigil's [program, ...args], or
// says that it needs a shell (pipes, &&, variables, redirections).
const SHELL_SYNTAX = /[|&;<>()$`\\*?~]|\n/;

export type ImportedCommand = { command: string[]; shell: false } | { command: string; shell: true };

export function splitCommand(line: string): ImportedCommand {
  const words: string[] = [];
  let current = '';
  let quote: '"' | "'" | null = null;
  let inWord = false;
  for (const ch of line.trim()) {
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      if (SHELL_SYNTAX.test(ch)) return { command: line.trim(), shell: true };
      current += ch;
      inWord = true;
    }
  }
  if (quote) return { command: line.trim(), shell: true };
  if (inWord) words.push(current);
  return { command: words, shell: false };
}
