/** One schema migration. Each lives in its own file under migrations/, named NNN_name.ts. */
export interface Migration {
  version: number;
  name: string;
  /** SQL run inside the migration's transaction. */
  up: string;
}
