// The vendored browser libraries under /app/vendor/ (see its README.md: copied from PyPI packages, never a CDN),
// loaded as classic scripts the first time a view needs one. Each answers the global the library defines.
const loading = new Map();

function script(src) {
  if (!loading.has(src)) {
    loading.set(
      src,
      new Promise((resolve, reject) => {
        const node = document.createElement("script");
        node.src = src;
        node.onload = resolve;
        node.onerror = () => {
          loading.delete(src);
          reject(new Error(`Could not load ${src}.`));
        };
        document.head.append(node);
      }),
    );
  }
  return loading.get(src);
}

/** jQuery with jquery.qrcode: draws a QR code into an element. */
export async function qrLibrary() {
  await script("/app/vendor/jquery-qrcode/jquery-3.6.4.min.js");
  await script("/app/vendor/jquery-qrcode/jquery.qrcode.min.js");
  return window.jQuery;
}

/** html5-qrcode: reads QR codes from the camera or a photo. Answers the library (`Html5Qrcode`,
 * `Html5QrcodeSupportedFormats`, ...). */
export async function qrReader() {
  await script("/app/vendor/html5-qrcode/html5-qrcode.min.js");
  return window.__Html5QrcodeLibrary__;
}

/** uPlot: the reports' charts. */
export async function chartLibrary() {
  await script("/app/vendor/uplot/uPlot.iife.js");
  return window.uPlot;
}
