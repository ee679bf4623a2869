/**
 * The signed-in user in a server component (layouts, pages), from the header the server's HTTP gate set.
 * Page requests only reach Next through the gate, which removes any client-sent copy of the header first.
 */
import { headers } from 'next/headers';
import { parseUserHeader, USER_HEADER, type SessionUser } from '../contracts/auth';

export async function pageUser(): Promise<SessionUser | null> {
  return parseUserHeader((await headers()).get(USER_HEADER));
}
