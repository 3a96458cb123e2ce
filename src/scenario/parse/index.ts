export { parseScenario, DEFAULT_START, type ParseResult, type ReadRelative } from './scenario';
