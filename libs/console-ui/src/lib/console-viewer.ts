import type { ApiPrincipal } from '@qts/service-infra';

/** Who is watching a console, as the page needs it: which actions to offer (the server checks them again). */
export interface ConsoleViewer {
  name: string;
  scopes: string[];
}

export function consoleViewer(principal: ApiPrincipal | undefined): ConsoleViewer {
  return { name: principal?.name ?? '', scopes: principal === undefined ? [] : [...principal.scopes].sort() };
}
