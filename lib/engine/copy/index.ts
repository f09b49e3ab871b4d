export { copyData, type CopyEndpoint, type CopyOptions, type CopyProgress, type CopyResult } from './copy';
