/** A multipart/form-data body with one file part, as a browser's form upload sends it. */
export function multipart(
  fileName: string,
  contentType: string,
  bytes: Buffer,
  field = "file",
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = "----lyceum-test-boundary";
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}
