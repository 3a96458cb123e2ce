/**
 * Where configuration text comes from. The parser never touches a file system itself: the simulated
 * daemon reads from its host's virtual file system, `vrrpsim check` from the real disk.
 */
export interface ConfigSource {
  /** The text of the file at `path`, or undefined when it does not exist or cannot be read. */
  read(path: string): string | undefined;
  /** Paths matching a shell glob (`*`, `?`, `[..]`, `{a,b}`), sorted as glob(3) sorts them; [] when none. */
  glob(pattern: string): string[];
}
