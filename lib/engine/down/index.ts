export { draftDown, downSqlOf, type DownDraft, type DownSql, type DraftedStatement, type DraftGap } from './draft-down';
export { downFileText } from './down-file-text';
export { assertQueuedDowns, downVersionOf, draftedVersion, draftInputsKey, draftVersion, type DownVersion } from './down-version';
