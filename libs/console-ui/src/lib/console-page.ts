import { CONSOLE_ASSET_PATH, CONSOLE_PAGE_SCRIPTS, type ConsolePage } from './console-assets';

/**
 * The policy of the console pages: scripts, styles and connections to the service itself only, no inline script or
 * style at all, nothing framed, no form posted anywhere.
 */
export const CONSOLE_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TITLES: Readonly<Record<ConsolePage, string>> = {
  gateway: '브로커 및 계좌 관리 · QTS gateway',
  execution: '주문 실행 · QTS execution worker',
};

/**
 * The HTML of a console page: a shell with no data in it (the page asks for an API key and loads everything with
 * it), its stylesheet and its module script from the service's own /console-ui/.
 */
export function renderConsolePage(page: ConsolePage): string {
  return `<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="referrer" content="no-referrer">
<title>${TITLES[page]}</title>
<link rel="stylesheet" href="/${CONSOLE_ASSET_PATH}/console.css">
<script type="module" src="/${CONSOLE_ASSET_PATH}/${CONSOLE_PAGE_SCRIPTS[page]}"></script>
</head>
<body>
<main id="app"><p>불러오는 중 · Loading…</p><noscript>이 콘솔은 JavaScript가 필요합니다. This console needs JavaScript.</noscript></main>
</body>
</html>
`;
}
