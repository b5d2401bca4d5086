/**
 * The first line of a declaration init writes: the yaml-language-server modeline, so an editor
 * (VS Code with Red Hat's YAML extension, or any yaml-language-server client) completes and
 * explains every key. It names the schema file of the provision that wrote it, by absolute
 * path: the file is wherever the user keeps their dotfiles, so a path relative to it would
 * reach the schema only by luck, and provision is not published at a URL to point at. An
 * absolute path keeps working until provision is installed elsewhere (see docs/commands.md, init).
 */

import { fileURLToPath } from 'node:url';
import { SCHEMA_URL } from '../config/schema-validator.js';

export function schemaModeline(): string {
  // yaml-language-server takes an absolute path on Mac and Linux; on Windows a file URL is
  // unambiguous where a path with a drive letter and backslashes is not.
  const where = process.platform === 'win32' ? SCHEMA_URL.href : fileURLToPath(SCHEMA_URL);
  return `# yaml-language-server: $schema=${where}`;
}
