/** The page at `/` when the web app has not been built: where the API documentation is. */
export const HOME_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Lyceum</title>
<style>body{font-family:system-ui,sans-serif;max-width:640px;margin:4rem auto;padding:0 1rem;color:#1d2733;line-height:1.5}
a{color:#1f4e79}code{background:#eef2f6;padding:.1rem .3rem;border-radius:3px}</style></head>
<body><h1>Lyceum</h1>
<p>The open learning platform is running. The web app has not been built here (<code>npm start</code> builds it); everything it does is available through the API.</p>
<ul>
<li><a href="/api/docs">Interactive API documentation</a></li>
<li><a href="/api/v1/openapi.json">OpenAPI 3.1 document</a></li>
<li><a href="/api/v1/health">Health</a> and <a href="/api/v1/ready">readiness</a></li>
</ul>
<p>Sign in with <code>POST /api/v1/auth/login</code> using one of the demo logins printed at first start.</p>
</body></html>`;
