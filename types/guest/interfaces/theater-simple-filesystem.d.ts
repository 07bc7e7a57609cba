declare module 'theater:simple/filesystem' {
  export function readFile(path: string): Uint8Array;
  export function writeFile(path: string, content: string): void;
  export function listFiles(path: string): Array<string>;
  export function deleteFile(path: string): void;
  export function createDir(path: string): void;
  export function deleteDir(path: string): void;
  export function pathExists(path: string): boolean;
  export function executeCommand(dir: string, command: string, args: Array<string>): CommandResult;
  export function executeNixCommand(dir: string, command: string): CommandResult;
  export interface CommandSuccess {
    stdout: string,
    stderr: string,
    exitCode: number,
  }
  export interface CommandError {
    message: string,
  }
  export type CommandResult = CommandResultSuccess | CommandResultError;
  export interface CommandResultSuccess {
    tag: 'success',
    val: CommandSuccess,
  }
  export interface CommandResultError {
    tag: 'error',
    val: CommandError,
  }
}
