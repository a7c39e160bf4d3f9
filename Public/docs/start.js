// Starts Swagger UI on /openapi.json. A file, not an inline script: the page's CSP runs scripts from this origin only.
// No validator badge: it would load an image from swagger.io, which the CSP (and an offline install) refuses.
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true, validatorUrl: null });
