/**
 * The shell's own small settings file in Electron's userData folder: which database was used last and the pane
 * width. (Labelling settings live in the database, behind the contract.)
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const AppSettingsSchema = z.object({
  lastDbPath: z.string().min(1).optional(),
  paneFraction: z.number().min(0.2).max(0.8).optional(),
});

export type AppSettings = z.infer<typeof AppSettingsSchema>;

export const settingsFile = (userDataDir: string): string => join(userDataDir, 'finkvra-settings.json');

/** A missing or corrupt file reads as no settings: the app must still start. */
export function readAppSettings(userDataDir: string): AppSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(settingsFile(userDataDir), 'utf8'));
  } catch {
    return {};
  }
  const parsed = AppSettingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : {};
}

/** Merge and write atomically (temp file + rename), so a crash never leaves half a JSON file. */
export function writeAppSettings(userDataDir: string, patch: AppSettings): AppSettings {
  const next = AppSettingsSchema.parse({ ...readAppSettings(userDataDir), ...patch });
  mkdirSync(userDataDir, { recursive: true });
  const file = settingsFile(userDataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`);
  renameSync(tmp, file);
  return next;
}
