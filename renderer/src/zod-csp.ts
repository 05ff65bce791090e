/**
 * Must be the first import of main.tsx. Zod compiles fast object parsers with `new Function`
 * unless told not to, and merely probing for that under our CSP (no 'unsafe-eval') raises a
 * securitypolicyviolation. Schemas decide this when they are created, i.e. when contract.ts
 * is first evaluated, so this has to run before anything imports the contract.
 */
import { z } from 'zod';

z.config({ jitless: true });
