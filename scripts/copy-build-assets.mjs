// `npm run build`: tsc emits JavaScript only; the SQL migrations are read at run time beside the code.
import { cpSync } from 'node:fs';

cpSync('src/adapters/store/migrations', 'dist/adapters/store/migrations', { recursive: true });
