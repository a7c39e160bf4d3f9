// Razorpay Checkout, with PAYMENT_GATEWAY=razorpay. Its script loads on demand from the URL the server gives: the
// payment's `checkout.script_url`, else `<meta name="razorpay-checkout-script" content="…">`. No URL is written
// here: the pages load scripts from elsewhere only where the server's Content-Security-Policy allows it, which it
// does in that mode alone. The signed answer of Checkout goes back to the API (POST /payments/{id}/confirm).
let loading = null;

function scriptURL(checkout) {
  return checkout.script_url || document.querySelector('meta[name="razorpay-checkout-script"]')?.content || null;
}

function load(url) {
  if (window.Razorpay) return Promise.resolve();
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.async = true;
    const failed = () => {
      loading = null;
      script.remove();
      reject(new Error("The payment window could not be loaded. Check your connection and try again."));
    };
    script.addEventListener("load", () => (window.Razorpay ? resolve() : failed()));
    script.addEventListener("error", failed);
    document.head.append(script);
  });
  return loading;
}

/**
 * Opens Razorpay Checkout for a payment's `checkout` object (key_id, order_id, amount, currency, name, description,
 * prefill_email, prefill_contact, script_url) with `method` preselected. Answers the proof for
 * POST /payments/{id}/confirm; fails with a message in words if the window is closed before paying.
 */
export async function openRazorpay(checkout, method) {
  const url = scriptURL(checkout);
  if (!url) throw new Error("Online payment is not available on this page right now. Please try again later.");
  await load(url);
  return new Promise((resolve, reject) => {
    let failure = "";
    const checkoutWindow = new window.Razorpay({
      key: checkout.key_id,
      order_id: checkout.order_id,
      amount: Number(checkout.amount),
      currency: checkout.currency,
      name: checkout.name,
      description: checkout.description,
      prefill: { email: checkout.prefill_email, contact: checkout.prefill_contact, method },
      handler: (answer) =>
        resolve({
          razorpay_payment_id: answer.razorpay_payment_id,
          razorpay_order_id: answer.razorpay_order_id,
          razorpay_signature: answer.razorpay_signature,
        }),
      modal: {
        ondismiss: () =>
          reject(
            new Error(
              `${failure ? `The payment failed (${failure}). ` : "The payment window was closed before paying. "}` +
                "Your booking is kept until its due time; press Pay to try again.",
            ),
          ),
      },
    });
    // Checkout lets the customer retry inside its window after a failure; the reason is kept for the message.
    checkoutWindow.on?.("payment.failed", (answer) => {
      failure = answer?.error?.description || "declined";
    });
    checkoutWindow.open();
  });
}
