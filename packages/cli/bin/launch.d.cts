/** What {@link launch} runs. */
export interface LaunchOptions {
  /** The command's name, for its error messages (`'tributary-demo'`). */
  command: string;
  /** The package's directory, holding package.json, src/ and dist/ (`new URL('..', import.meta.url)` in a bin). */
  packageDir: URL;
  /** The program's path under src/ and dist/, without extension (`'demo/program'`). */
  program: string;
}

/**
 * Runs a package's program with the command line's arguments: the TypeScript sources through
 * tsx in a clone, the build (`dist/<program>.js`) when installed.
 */
export declare function launch(options: LaunchOptions): Promise<void>;
