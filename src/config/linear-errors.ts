/**
 * ajv's generated code gathers a sub-schema's errors with `vErrors = vErrors.concat(sub.errors)`:
 * every failing item copies the whole list gathered so far, so a file with N problems costs N²
 * (a 1 MiB declaration with a problem on every line took 52 s; bench/bench-scale.ts). The same
 * statement written as an append in place is linear and leaves every error where it was. Applied
 * to the standalone code at build time (scripts/build-validator.mjs) and at run time alike
 * (schema-validator.ts); a generated validator without the statement is returned unchanged, and
 * one with an unknown variant of it is refused, so an ajv upgrade cannot silently bring it back.
 */
const CONCAT = /vErrors = vErrors === null \? (validate\d+)\.errors : vErrors\.concat\(\1\.errors\);/g;

export function linearErrors(source: string): string {
  const patched = source.replace(CONCAT, (_all, sub: string) => `if(vErrors === null){vErrors = ${sub}.errors;}else{for(const e of ${sub}.errors){vErrors.push(e);}}`);
  if (patched.includes('vErrors.concat(')) throw new Error('ajv gathers errors in a way linearErrors does not know: update src/config/linear-errors.ts');
  return patched;
}
