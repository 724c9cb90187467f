// Minimal declarations for the untyped @20minutes/s3rver modules that s3server.ts loads.
declare module '@20minutes/s3rver' {
  const S3rver: new (options: Record<string, unknown>) => unknown;
  export default S3rver;
}

declare module '@20minutes/s3rver/lib/models/account.js' {
  const AWSAccount: unknown;
  export default AWSAccount;
}

declare module '@20minutes/s3rver/lib/models/object.js' {
  const S3Object: { ALLOWED_METADATA: string[] };
  export default S3Object;
}
