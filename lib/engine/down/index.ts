export { draftDown, downSqlOf, type DownDraft, type DownSql, type DraftedStatement, type DraftGap } from './draft-down';
export { downFileText } from './down-file-text';
