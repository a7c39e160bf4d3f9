// The door: an usher (or an admin) scans or pastes a ticket's code, the server checks it in (POST /checkins), and
// the whole screen turns green with ADMIT and who comes in, or red with NO and why. Made for a phone: big field,
// big buttons, the answer readable at arm's length; tapping it (or Enter) gets the next ticket ready.
// The camera and photo scans use the vendored html5-qrcode (app/vendor/README.md); typing or pasting the code
// always works, with or without a camera.
import { APIProblem, api } from "../../api.js";
import { el, guarded, onSubmit, showError, view } from "../../ui.js";
import { qrReader } from "../../vendor.js";

const time = (iso) => new Date(iso).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
const clock = (iso) => new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/** Words for a refused check-in, from the problem's code. */
export function refusal(error) {
  if (!(error instanceof APIProblem)) return error.message;
  const problem = error.problem;
  switch (error.code) {
    case "already_admitted":
      return problem.admitted_at ? `Already admitted at ${clock(problem.admitted_at)}` : "Already admitted";
    case "not_admissible":
      return `Not admissible: ${problem.detail || "the booking does not admit"}`;
    case "outside_window":
      return `Outside the admission window. ${problem.detail || ""}`.trim();
    case "invalid_ticket":
      return "Invalid ticket";
    default:
      return error.message;
  }
}

let scanner = null; // the running camera scan, if any

const dataURL = (file) =>
  new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });

/**
 * The reader's settings: QR codes only. With every format on (the library's default), ZXing's one-dimensional
 * readers now and then find a "barcode" in a row of a ticket's QR and answer its eight digits, which the server
 * rightly refuses: 8 of 800 random ticket-sized codes drawn as the ticket page draws them, and one CI run's door
 * test (a valid ticket answered NO).
 */
const qrOnly = (library) => ({ formatsToSupport: [library.Html5QrcodeSupportedFormats.QR_CODE], verbose: false });

/**
 * The views of a picture tried in turn, [quarter turns, scale]: ZXing misses about one clean ticket QR in eight
 * upright and reads nearly every one of those turned (of 600 random codes, 82 missed upright, 80 read turned); a
 * smaller scale catches most of the rest. With all of them, 3,001 of 3,002 random ticket-sized codes were read.
 */
const VIEWS = [
  [0, 1],
  [1, 1],
  [2, 1],
  [3, 1],
  [0, 0.75],
  [1, 0.75],
  [0, 0.5],
  [1, 0.5],
];

/** `image` (an image or a canvas) turned `turns` quarter turns and scaled by `scale`, on a white margin. */
function drawn(image, turns, scale) {
  const [width, height] = [Math.round(image.width * scale), Math.round(image.height * scale)];
  const sideways = turns % 2 === 1;
  const canvas = el("canvas", { width: (sideways ? height : width) + 40, height: (sideways ? width : height) + 40 });
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.translate(canvas.width / 2, canvas.height / 2);
  context.rotate((turns * Math.PI) / 2);
  context.drawImage(image, -width / 2, -height / 2, width, height);
  return canvas;
}

/** The text of the QR code in `image` (an image or a canvas, at most 1200 pixels a side is read); throws if none. */
export async function readQRCode(image) {
  const library = await qrReader();
  const decoder = new library.Html5Qrcode("door-camera", qrOnly(library)).qrcode;
  const fit = Math.min(1, 1200 / Math.max(image.width, image.height));
  for (const [turns, scale] of VIEWS) {
    try {
      return (await decoder.decodeAsync(drawn(image, turns, scale * fit))).text;
    } catch {
      // not read in this view: the next one
    }
  }
  throw new Error("No QR code was found.");
}

/**
 * The text of the QR code in a photo. html5-qrcode's own scanFile shows the file through a blob: URL, which the
 * page's Content-Security-Policy (img-src 'self' data:) refuses; so the photo is read as a data: URL and given to
 * the library's decoder (its `qrcode` member, ZXing) directly.
 */
async function readPhoto(file) {
  const image = new Image();
  image.src = await dataURL(file);
  await image.decode();
  return readQRCode(image);
}

async function stopCamera() {
  const running = scanner;
  scanner = null;
  if (running) await running.stop().catch(() => {});
}

export function door() {
  const code = el("textarea", {
    testid: "door-code",
    rows: 3,
    required: true,
    autocomplete: "off",
    autocapitalize: "off",
    spellcheck: "false",
    placeholder: "Scan, paste or type the ticket code",
    "aria-label": "Ticket code",
  });
  const result = el("section", { class: "door-result", testid: "door-result", hidden: true, tabindex: "-1" });
  const camera = el("div", { id: "door-camera", class: "door-camera", hidden: true });
  const form = el(
    "form",
    { class: "door-form", testid: "door-form" },
    el("h1", {}, "Door"),
    code,
    el("button", { type: "submit", class: "door-big", testid: "door-submit" }, "Check in"),
  );

  const next = () => {
    result.hidden = true;
    code.value = "";
    code.focus();
  };
  result.addEventListener("click", next);
  result.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === "Escape" || event.key === " ") next();
  });

  const show = (ok, heading, lines) => {
    result.className = `door-result ${ok ? "admit" : "deny"}`;
    result.dataset.outcome = ok ? "admit" : "deny";
    result.replaceChildren(
      el("p", { class: "door-verdict", testid: "door-verdict" }, heading),
      ...lines.map((line) => el("p", { class: "door-line" }, line)),
      el("p", { class: "door-next" }, "Tap for the next ticket"),
    );
    result.hidden = false;
    result.focus();
  };

  const checkIn = async (text) => {
    const value = text.trim().replace(/\s+/g, "");
    if (!value) return;
    try {
      const admitted = await api("POST", "/checkins", { code: value });
      show(true, "ADMIT", [
        admitted.movie_title,
        `${time(admitted.starts_at)} · ${admitted.screen_name}`,
        `Seats ${admitted.seats.join(", ")} (${admitted.admits})`,
        admitted.reference,
      ]);
    } catch (error) {
      if (error instanceof APIProblem && error.status === 401) throw error;
      if (error instanceof APIProblem && ![409, 422, 400].includes(error.status)) throw error;
      show(false, "NO", [refusal(error)]);
    }
  };
  onSubmit(form, () => checkIn(code.value));
  code.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  const cameraButton = el("button", { type: "button", class: "door-big", testid: "door-camera" }, "Scan with camera");
  cameraButton.addEventListener(
    "click",
    guarded(async () => {
      if (scanner)
        return stopCamera().then(() => {
          camera.hidden = true;
          cameraButton.textContent = "Scan with camera";
        });
      const library = await qrReader();
      camera.hidden = false;
      scanner = new library.Html5Qrcode("door-camera", qrOnly(library));
      cameraButton.textContent = "Stop camera";
      const read = async (text) => {
        await stopCamera();
        camera.hidden = true;
        cameraButton.textContent = "Scan with camera";
        code.value = text;
        await checkIn(text).catch((error) => showError(error, form));
      };
      await scanner.start({ facingMode: "environment" }, { fps: 10, qrbox: 250 }, read).catch((error) => {
        scanner = null;
        camera.hidden = true;
        cameraButton.textContent = "Scan with camera";
        throw new Error(`The camera could not start (${error?.message || error}); type or paste the code.`);
      });
    }, cameraButton),
  );

  const photo = el("input", { type: "file", accept: "image/*", capture: "environment", testid: "door-photo" });
  photo.addEventListener(
    "change",
    guarded(async () => {
      const file = photo.files[0];
      if (!file) return;
      let text;
      try {
        text = await readPhoto(file);
      } catch {
        throw new Error("No QR code was found in that photo; try again or type the code.");
      } finally {
        photo.value = "";
      }
      code.value = text;
      await checkIn(text);
    }, form),
  );

  view.replaceChildren(
    form,
    el(
      "div",
      { class: "door-scan" },
      cameraButton,
      el("label", { class: "door-big door-file" }, "Scan a photo", photo),
    ),
    camera,
    result,
  );
  code.focus();
}

window.addEventListener("hashchange", () => {
  if (!location.hash.startsWith("#/door")) stopCamera();
});
