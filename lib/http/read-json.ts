/** A request's JSON body, or a BAD_REQUEST error the API shows as is. */
export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw Object.assign(new Error('the request body must be JSON'), { code: 'BAD_REQUEST' });
  }
}
