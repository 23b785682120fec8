import { MaxPartSizeExceededError, unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";

/**
 * The file uploaded in the first part named `field`, or null when there is none. Every part is read
 * through as it arrives and counted against `maxBytes` together, and all but that file are dropped,
 * so no number or size of parts can fill memory: beyond the limit the answer is "tooLarge".
 */
export async function uploadedFile(request: Request, field: string, maxBytes: number): Promise<File | null | "tooLarge"> {
  let received = 0;
  let file: File | null = null;
  const handler: UploadHandler = async ({ name, filename, contentType, data }) => {
    const wanted = name === field && filename !== undefined && !file;
    // Request bodies arrive in plain (never shared) buffers.
    const chunks: Uint8Array<ArrayBuffer>[] = [];
    for await (const chunk of data) {
      received += chunk.byteLength;
      if (received > maxBytes) throw new MaxPartSizeExceededError(name, maxBytes);
      if (wanted) chunks.push(chunk as Uint8Array<ArrayBuffer>);
    }
    if (wanted) file = new File(chunks, filename, { type: contentType });
    return undefined;
  };
  try {
    await unstable_parseMultipartFormData(request, handler);
  } catch (e) {
    if (e instanceof MaxPartSizeExceededError) return "tooLarge";
    throw e;
  }
  return file;
}
