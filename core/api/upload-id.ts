/** Shapes of web-mode uploads, shared by the contract (also loaded by the renderer: no Node imports here). */

/** 32 hex digits: random, so an id cannot name anything outside the uploads folder. */
export const UPLOAD_ID = /^[0-9a-f]{32}$/;
/** The files the alert readers take. */
export const ALERT_FILE_NAME = /\.(parquet|avro)$/i;
