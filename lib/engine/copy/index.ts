export { checkCopy, copyData, previewCopy, type CopyEndpoint, type CopyOptions, type CopyPreview, type CopyProgress, type CopyResult } from './copy-data';
