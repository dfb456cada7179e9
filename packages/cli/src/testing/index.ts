// @tributary/cli/testing: for the tests of tributary and of commands built on @tributary/cli.
export { runProgram, type Program, type ProgramOutput } from './runProgram';
