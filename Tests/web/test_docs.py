"""/docs in a real browser under its Content-Security-Policy: Swagger UI starts from its own files (no inline
script), draws the API, and the browser reports no CSP violation. Run by scripts/web-tests against a seeded server."""
import urllib.request

from selenium.webdriver.common.by import By

from support import BASE, BrowserTest, console_errors, wait


class DocsPage(BrowserTest):
    def test_docs_render_under_a_csp_that_forbids_framing(self):
        with urllib.request.urlopen(f"{BASE}/docs", timeout=30) as response:
            policy = response.headers["Content-Security-Policy"]
            self.assertIn("frame-ancestors 'none'", policy)
            self.assertEqual(response.headers["X-Frame-Options"], "DENY")
        driver = self.open()
        driver.get(f"{BASE}/docs")
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".swagger-ui .opblock"), seconds=20,
             message="Swagger UI drew no operations")
        # A CSP violation is a console error; the browser's own favicon request (a 404) is not one of ours.
        self.assertEqual([e for e in console_errors(driver) if "favicon.ico" not in e["message"]], [])
