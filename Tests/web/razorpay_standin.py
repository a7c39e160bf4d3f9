"""A stand-in for Razorpay, for the browser tests of PAYMENT_GATEWAY=razorpay (python3 standard library only).

One HTTP server on 127.0.0.1 (a free port) that speaks the parts of Razorpay's REST API BoxOffice calls, with Basic
auth (key id:secret) and Razorpay's error format, orders kept in memory:

    POST /v1/orders {amount, currency, receipt, notes}  → {id: "order_…", entity: "order", …, status: "created"}
    GET  /v1/orders/{id}/payments                       → {entity: "collection", count, items: [payment …]}
    GET  /v1/payments/{id}/refunds                      → {entity: "collection", count, items: [refund …]}
    POST /v1/payments/{id}/refund {amount, receipt}     → {id: "rfnd_…", entity: "refund", …, status: "processed"}

and a stand-in for Razorpay Checkout:

    GET  /v1/checkout.js    a script defining window.Razorpay as Checkout does: new Razorpay(options), .on(event, fn),
                            .open(). open() shows a <dialog> in the page naming the amount, with Pay, Fail and Close
                            (data-testid razorpay-standin, razorpay-standin-pay, razorpay-standin-fail,
                            razorpay-standin-close). Pay captures the order here (below) and calls options.handler with
                            Checkout's signed answer; Fail calls the "payment.failed" handlers with
                            {error: {description: "Card declined", …}} and leaves the dialog open, as Checkout does;
                            Close (or Escape) calls options.modal.ondismiss().
    POST /standin/pay {order_id}  (from the page, another origin: CORS allowed)
                            → {razorpay_payment_id, razorpay_order_id, razorpay_signature}: a captured payment on the
                            order, signed as Checkout signs it (hex HMAC-SHA256 of "order_id|payment_id" keyed with the
                            key secret).

The script only sets styles through element.style (the customer page's CSP has style-src 'self').

    standin = RazorpayStandIn("rzp_test_key", "secret").start()
    standin.url, standin.script_url, standin.orders(), standin.payments(order_id)
    standin.stop()

Run on its own (`python3 razorpay_standin.py KEY_ID KEY_SECRET`) it prints its URL and serves until interrupted.
"""
import base64
import hashlib
import hmac
import http.server
import json
import re
import sys
import threading
import uuid

CHECKOUT_JS = r"""// Razorpay Checkout stand-in (BoxOffice's browser tests; not Razorpay's code).
(function () {
  "use strict";
  var ORIGIN = __ORIGIN__;

  function money(amount, currency) {
    var value = (Number(amount) / 100).toLocaleString("en-IN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return (currency === "INR" || !currency ? "\u20b9" : currency + " ") + value;
  }

  function node(tag, testid, text) {
    var element = document.createElement(tag);
    if (testid) element.dataset.testid = testid;
    if (text) element.textContent = text;
    return element;
  }

  function Razorpay(options) {
    if (!(this instanceof Razorpay)) throw new TypeError("Razorpay must be called with new");
    if (!options || !options.key || !options.order_id) throw new Error("Razorpay: key and order_id are required");
    this.options = options;
    this.handlers = {};
  }

  Razorpay.prototype.on = function (event, handler) {
    (this.handlers[event] = this.handlers[event] || []).push(handler);
    return this;
  };

  Razorpay.prototype.emit = function (event, answer) {
    (this.handlers[event] || []).forEach(function (handler) { handler(answer); });
  };

  Razorpay.prototype.open = function () {
    var self = this;
    var options = this.options;
    var amount = money(options.amount, options.currency);
    var dialog = node("dialog", "razorpay-standin");
    dialog.setAttribute("aria-labelledby", "razorpay-standin-title");
    dialog.setAttribute("aria-describedby", "razorpay-standin-amount");
    dialog.style.maxWidth = "22rem";
    dialog.style.padding = "1rem 1.25rem";
    dialog.style.background = "#ffffff";
    dialog.style.color = "#1a1a1a";
    var title = node("h2", null, "Razorpay Checkout (test stand-in)");
    title.id = "razorpay-standin-title";
    title.style.fontSize = "1.1rem";
    title.style.marginTop = "0";
    var what = node("p", null, "Pay " + amount + " to " + (options.name || "the merchant") +
      (options.description ? " for " + options.description : "") + ".");
    what.id = "razorpay-standin-amount";
    var status = node("p", "razorpay-standin-status");
    status.setAttribute("role", "status");
    var buttons = node("p");
    buttons.style.display = "flex";
    buttons.style.flexWrap = "wrap";
    buttons.style.gap = "0.5rem";
    var pay = node("button", "razorpay-standin-pay", "Pay " + amount);
    var fail = node("button", "razorpay-standin-fail", "Fail the payment");
    var close = node("button", "razorpay-standin-close", "Close");
    [pay, fail, close].forEach(function (button) {
      button.type = "button";
      button.style.minHeight = "44px";
      button.style.minWidth = "44px";
      button.style.padding = "0 0.75rem";
      buttons.append(button);
    });
    dialog.append(title, what, status, buttons);
    var finished = false;

    function finish() {
      finished = true;
      if (dialog.open) dialog.close();
      dialog.remove();
    }

    function dismiss() {
      if (finished) return;
      finish();
      if (options.modal && typeof options.modal.ondismiss === "function") options.modal.ondismiss();
    }

    pay.addEventListener("click", function () {
      pay.disabled = fail.disabled = true;
      status.textContent = "Paying\u2026";
      fetch(ORIGIN + "/standin/pay", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ order_id: options.order_id }),
      })
        .then(function (response) {
          return response.json().then(function (body) {
            if (!response.ok) throw new Error((body.error && body.error.description) || "The payment was refused.");
            return body;
          });
        })
        .then(function (answer) {
          finish();
          if (typeof options.handler === "function") options.handler(answer);
        })
        .catch(function (error) {
          pay.disabled = fail.disabled = false;
          status.textContent = "Payment failed: " + error.message;
        });
    });
    fail.addEventListener("click", function () {
      status.textContent = "Payment failed: Card declined. Try again or close.";
      self.emit("payment.failed", {
        error: {
          code: "BAD_REQUEST_ERROR", description: "Card declined", source: "bank", step: "payment_authorization",
          reason: "payment_failed", metadata: { order_id: options.order_id },
        },
      });
    });
    close.addEventListener("click", dismiss);
    dialog.addEventListener("cancel", function (event) {
      event.preventDefault();
      dismiss();
    });
    document.body.append(dialog);
    dialog.showModal();
  };

  window.Razorpay = Razorpay;
})();
"""


def _id(prefix):
    return f"{prefix}_{uuid.uuid4().hex[:14]}"


class RazorpayStandIn:
    def __init__(self, key_id, key_secret):
        self.key_id, self.key_secret = key_id, key_secret
        self.lock = threading.Lock()
        self._orders = {}  # id → {id, entity, amount, currency, receipt, notes, status}
        self._payments = {}  # order id → [payment …]
        self._refunds = {}  # payment id → [refund …]
        self.calls = []  # "METHOD /path → status", in order
        self.server = None
        self.thread = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def script_url(self):
        return f"{self.url}/v1/checkout.js"

    def start(self):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, name="razorpay-standin", daemon=True)
        self.thread.start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(5)

    def orders(self):
        with self.lock:
            return [dict(order) for order in self._orders.values()]

    def payments(self, order_id):
        with self.lock:
            return [dict(payment) for payment in self._payments.get(order_id, [])]

    def signature(self, order_id, payment_id):
        return hmac.new(self.key_secret.encode(), f"{order_id}|{payment_id}".encode(), hashlib.sha256).hexdigest()

    def capture(self, order_id):
        """The customer pays the order: a captured payment on it; answers Checkout's signed answer (None: no order)."""
        with self.lock:
            order = self._orders.get(order_id)
            if order is None:
                return None
            payment = {"id": _id("pay"), "entity": "payment", "amount": order["amount"], "currency": order["currency"],
                       "status": "captured", "order_id": order_id, "captured": True}
            self._payments.setdefault(order_id, []).insert(0, payment)  # newest first, as Razorpay lists them
            order["status"] = "paid"
            order["amount_paid"], order["amount_due"] = order["amount"], 0
        return {"razorpay_payment_id": payment["id"], "razorpay_order_id": order_id,
                "razorpay_signature": self.signature(order_id, payment["id"])}

    # The API, called by the handler below: (status, body).
    def api(self, method, path, body):
        if method == "POST" and path == "/v1/orders":
            amount, currency = body.get("amount"), body.get("currency")
            if not isinstance(amount, int) or amount < 100:
                return 400, _error("BAD_REQUEST_ERROR", "The amount must be atleast INR 1.00")
            if not isinstance(currency, str) or len(currency) != 3:
                return 400, _error("BAD_REQUEST_ERROR", "The currency is invalid.")
            order = {"id": _id("order"), "entity": "order", "amount": amount, "amount_paid": 0, "amount_due": amount,
                     "currency": currency, "receipt": body.get("receipt"), "notes": body.get("notes") or {},
                     "status": "created", "attempts": 0}
            with self.lock:
                self._orders[order["id"]] = order
                return 200, dict(order)
        if match := re.fullmatch(r"/v1/orders/([^/]+)/payments", path):
            if method != "GET":
                return 405, _error("BAD_REQUEST_ERROR", "The requested URL was not found on the server.")
            with self.lock:
                if match[1] not in self._orders:
                    return 400, _error("BAD_REQUEST_ERROR", "The id provided does not exist")
                items = [dict(p) for p in self._payments.get(match[1], [])]
            return 200, {"entity": "collection", "count": len(items), "items": items}
        if match := re.fullmatch(r"/v1/payments/([^/]+)/(refunds|refund)", path):
            payment_id, which = match[1], match[2]
            with self.lock:
                payment = next((p for ps in self._payments.values() for p in ps if p["id"] == payment_id), None)
                if payment is None:
                    return 400, _error("BAD_REQUEST_ERROR", "The id provided does not exist")
                refunds = self._refunds.setdefault(payment_id, [])
                if method == "GET" and which == "refunds":
                    items = [dict(r) for r in refunds]
                    return 200, {"entity": "collection", "count": len(items), "items": items}
                if method == "POST" and which == "refund":
                    amount = body.get("amount", payment["amount"])
                    if not isinstance(amount, int) or amount < 1 or amount > payment["amount"] - sum(
                            r["amount"] for r in refunds):
                        return 400, _error("BAD_REQUEST_ERROR", "The refund amount is invalid.")
                    refund = {"id": _id("rfnd"), "entity": "refund", "amount": amount, "currency": payment["currency"],
                              "payment_id": payment_id, "receipt": body.get("receipt"), "status": "processed"}
                    refunds.append(refund)
                    return 200, dict(refund)
        return 404, _error("BAD_REQUEST_ERROR", "The requested URL was not found on the server.")


def _error(code, description):
    return {"error": {"code": code, "description": description, "source": "NA", "step": "NA", "reason": "NA",
                      "metadata": {}}}


def _handler(standin):
    expected = "Basic " + base64.b64encode(f"{standin.key_id}:{standin.key_secret}".encode()).decode()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet: the calls are kept in standin.calls
            pass

        def send(self, status, body, content_type="application/json", cors=False):
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            if cors:
                self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(data)
            with standin.lock:
                standin.calls.append(f"{self.command} {self.path} → {status}")

        def body(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                value = json.loads(raw) if raw else {}
            except ValueError:
                return None
            return value if isinstance(value, dict) else None

        def do_OPTIONS(self):
            # The page (another origin) asks before POSTing JSON to /standin/pay.
            self.send_response(204)
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "content-type")
            self.send_header("Access-Control-Max-Age", "600")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self):
            path = self.path.split("?", 1)[0]
            if path == "/v1/checkout.js":
                script = CHECKOUT_JS.replace("__ORIGIN__", json.dumps(standin.url))
                return self.send(200, script, "application/javascript; charset=utf-8", cors=True)
            self.api("GET", path)

        def do_POST(self):
            path = self.path.split("?", 1)[0]
            if path == "/standin/pay":
                body = self.body() or {}
                answer = standin.capture(str(body.get("order_id", "")))
                if answer is None:
                    return self.send(400, _error("BAD_REQUEST_ERROR", "No such order."), cors=True)
                return self.send(200, answer, cors=True)
            self.api("POST", path)

        def api(self, method, path):
            if not path.startswith("/v1/"):
                return self.send(404, _error("BAD_REQUEST_ERROR", "The requested URL was not found on the server."))
            body = self.body() if method == "POST" else {}
            if self.headers.get("Authorization") != expected:
                return self.send(401, _error("BAD_REQUEST_ERROR", "Authentication failed"))
            if body is None:
                return self.send(400, _error("BAD_REQUEST_ERROR", "The request body is not JSON."))
            self.send(*standin.api(method, path, body))

    return Handler


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: razorpay_standin.py KEY_ID KEY_SECRET")
    running = RazorpayStandIn(sys.argv[1], sys.argv[2]).start()
    print(f"Razorpay stand-in at {running.url} (Checkout script {running.script_url})", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        running.stop()
