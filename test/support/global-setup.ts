// Builds dist/ once before the suite, so CLI tests run the same bundle a user runs.
import { execFileSync } from 'node:child_process';

export default function setup() {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
