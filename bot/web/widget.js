/*
 * The SPRO Centre-Val de Loire orientation assistant, as a widget for any web page.
 *
 *   <script src="https://BOT/webchat/widget.js" defer></script>
 *   optional: data-title="…" data-color="#1d4f91" data-start-message="/greet" (empty: none)
 *
 * Plain JavaScript, no build step. Everything lives in a Shadow DOM so that the host page's CSS
 * cannot break it, and it runs under a strict Content-Security-Policy: no inline script, no
 * eval, no HTML parsing of any text (every node is built with createElement / textContent).
 * The socket.io client is imported as a module from the bot's origin, so no global is added.
 * The conversation lives in sessionStorage: it survives reloads and navigation within the site,
 * and is forgotten when the browser closes (shared computers of CIO, BIJ, Missions locales).
 */
(() => {
  "use strict";

  const script =
    document.currentScript || document.querySelector('script[src$="/webchat/widget.js"]');
  if (!script || !("attachShadow" in Element.prototype) || document.getElementById("spro-webchat")) {
    return;
  }

  const SCRIPT_URL = new URL(script.src, document.baseURI);
  const BOT_ORIGIN = SCRIPT_URL.origin;
  const ASSETS = new URL("./", SCRIPT_URL).href;
  // The server refuses longer messages (MAX_MESSAGE_CHARS in bot/channels/socketio.py).
  const MAX_CHARS = 1000;
  const STORAGE_KEY = `spro-webchat:${BOT_ORIGIN}`;
  const SAFE_PROTOCOLS = ["http:", "https:", "tel:", "mailto:"];
  const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"«»]+/g;
  const REPLY_TIMEOUT_MS = 60000;

  const TEXT = {
    launcher: script.dataset.title || "Assistant orientation",
    subtitle: "Service public régional de l'orientation – Centre-Val de Loire",
    close: "Fermer l'assistant",
    reset: "Nouvelle conversation",
    erase: "Effacer la conversation",
    eraseQuestion:
      "Effacer définitivement cette conversation, sur cet appareil et sur nos serveurs ?",
    eraseYes: "Oui, tout effacer",
    eraseNo: "Annuler",
    erased: "Votre conversation a été effacée, sur cet appareil et sur nos serveurs.",
    eraseFailed:
      "La conversation n'a pas pu être effacée. Réessayez, ou écrivez « supprimez mes données ».",
    newConversation: "Nouvelle conversation commencée.",
    log: "Conversation avec l'assistant",
    you: "Vous : ",
    bot: "L'assistant : ",
    inputLabel: "Votre message",
    placeholder: "Écrivez votre question…",
    hint: "Entrée pour envoyer, Maj + Entrée pour aller à la ligne.",
    remaining: (n) => `Il vous reste ${n} caractère${n > 1 ? "s" : ""}.`,
    send: "Envoyer",
    replies: "Réponses proposées",
    newWindow: " (nouvelle fenêtre)",
    address: "Adresse : ",
    connecting: "Connexion à l'assistant…",
    offline:
      "Vous êtes hors ligne. Vos messages partiront dès le retour de la connexion.",
    reconnecting: "Connexion interrompue. Nouvelle tentative en cours…",
    unavailable:
      "L'assistant est indisponible pour le moment. Nouvelle tentative en cours… Vous pouvez aussi appeler Etoile Info au 0 800 222 100 (appel gratuit).",
    noReply:
      "L'assistant ne répond pas. Réessayez dans un instant, ou appelez Etoile Info au 0 800 222 100 (appel gratuit).",
  };

  // ---------------------------------------------------------------- state (sessionStorage)

  const emptyState = () => ({ sessionId: null, messages: [], open: false, started: false });

  function loadState() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY));
      if (saved && Array.isArray(saved.messages)) return { ...emptyState(), ...saved };
    } catch (_) {
      // Storage disabled or corrupted: start afresh.
    }
    return emptyState();
  }

  let state = loadState();

  function saveState() {
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch (_) {
      // Storage full or disabled: the conversation still works, it just won't survive a reload.
    }
  }

  // ---------------------------------------------------------------- DOM helpers

  /** An element with attributes and children; strings become text nodes, never HTML. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") el.textContent = value;
      else if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
      else el.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child !== null && child !== undefined && child !== false) el.append(child);
    }
    return el;
  }

  function icon(path) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const p = document.createElementNS(ns, "path");
    p.setAttribute("d", path);
    svg.append(p);
    return svg;
  }

  const srOnly = (text) => h("span", { class: "sr-only", text });

  /** Only http, https, tel and mailto are ever made clickable. */
  function safeHref(href) {
    try {
      const url = new URL(href);
      return SAFE_PROTOCOLS.includes(url.protocol) ? url.href : null;
    } catch (_) {
      return null;
    }
  }

  function link(href, text) {
    const safe = safeHref(href);
    if (!safe) return document.createTextNode(text);
    const external = safe.startsWith("http");
    return h(
      "a",
      { href: safe, target: external ? "_blank" : null, rel: external ? "noopener noreferrer" : null },
      text,
      external ? srOnly(TEXT.newWindow) : null,
    );
  }

  /** A line of text with its web addresses as links; the rest stays text. */
  function linkified(line) {
    const nodes = [];
    let last = 0;
    for (const match of line.matchAll(URL_IN_TEXT)) {
      const url = match[0].replace(/[.,;:!?)]+$/, "");
      nodes.push(line.slice(last, match.index), link(url, url));
      last = match.index + url.length;
    }
    nodes.push(line.slice(last));
    return nodes.filter((n) => n !== "");
  }

  function paragraphs(text, withLinks) {
    return text
      .trim()
      .split(/\n{2,}/)
      .map((para) =>
        h(
          "p",
          null,
          para.split("\n").flatMap((line, i) => [i ? h("br") : null, withLinks ? linkified(line) : line]),
        ),
      );
  }

  // ---------------------------------------------------------------- building the widget

  const host = h("div", { id: "spro-webchat", lang: "fr", hidden: true });
  const root = host.attachShadow({ mode: "open" });
  const stylesheet = h("link", { rel: "stylesheet", href: `${ASSETS}widget.css` });
  stylesheet.addEventListener("load", () => {
    host.hidden = false;
  });

  const color = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(script.dataset.color || "")
    ? script.dataset.color
    : null;
  if (color) {
    // CSSOM, not a style attribute: allowed by a strict style-src.
    host.style.setProperty("--accent", color);
    host.style.setProperty("--on-accent", readableOn(color));
  }

  const launcher = h(
    "button",
    { type: "button", class: "launcher", "aria-expanded": "false", "aria-controls": "panel" },
    icon("M4 4h16v11H8l-4 4V4zm2 2v8.2L7.2 13H18V6H6z"),
    h("span", { text: TEXT.launcher }),
  );
  const closeButton = h(
    "button",
    { type: "button", class: "close", title: TEXT.close },
    icon("M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z"),
    srOnly(TEXT.close),
  );
  const resetButton = h("button", { type: "button", class: "tool", text: TEXT.reset });
  const eraseButton = h("button", { type: "button", class: "tool", text: TEXT.erase });
  const eraseYes = h("button", { type: "button", class: "tool danger", text: TEXT.eraseYes });
  const eraseNo = h("button", { type: "button", class: "tool", text: TEXT.eraseNo });
  const eraseBox = h(
    "div",
    { class: "confirm", role: "group", "aria-labelledby": "erase-question", hidden: true },
    h("p", { id: "erase-question", text: TEXT.eraseQuestion }),
    h("div", { class: "tools" }, eraseYes, eraseNo),
  );
  const status = h("p", { class: "status", role: "status" });
  const log = h("ol", { class: "log", "aria-label": TEXT.log });
  const typing = h(
    "div",
    { class: "typing", "aria-hidden": "true", hidden: true },
    h("span"),
    h("span"),
    h("span"),
  );
  const scroller = h("div", { class: "scroller" }, log, typing);
  const announcer = h("div", { class: "sr-only", "aria-live": "polite" });
  const input = h("textarea", {
    id: "message",
    rows: "2",
    maxlength: String(MAX_CHARS),
    placeholder: TEXT.placeholder,
    "aria-describedby": "hint",
    autocomplete: "off",
  });
  const hint = h("p", { id: "hint", class: "hint", text: TEXT.hint });
  const composer = h(
    "form",
    { class: "composer" },
    h("label", { for: "message", class: "sr-only", text: TEXT.inputLabel }),
    input,
    h("button", { type: "submit", class: "send", text: TEXT.send }),
    hint,
  );
  const panel = h(
    "section",
    { id: "panel", class: "panel", role: "dialog", "aria-labelledby": "title", hidden: true },
    h(
      "header",
      null,
      h("div", { class: "heading" }, h("h2", { id: "title", text: TEXT.launcher }), h("p", { text: TEXT.subtitle })),
      closeButton,
    ),
    h("div", { class: "tools" }, resetButton, eraseButton),
    eraseBox,
    status,
    scroller,
    announcer,
    composer,
  );
  root.append(stylesheet, launcher, panel);

  // ---------------------------------------------------------------- messages

  function renderContact(contact) {
    return h(
      "div",
      { class: "contact" },
      contact.name ? h("p", { class: "name", text: contact.name }) : null,
      contact.address ? h("p", null, TEXT.address, contact.address) : null,
      (contact.links || []).map((l) => h("p", null, `${l.label} : `, link(l.href, l.text))),
      contact.note ? h("p", { class: "note", text: contact.note }) : null,
    );
  }

  function renderCard(card) {
    return h(
      "article",
      { class: "card" },
      h("h3", { text: card.title }),
      card.text ? h("p", { text: card.text }) : null,
      card.contact ? renderContact(card.contact) : null,
      card.step ? h("p", { class: "step", text: card.step }) : null,
      (card.sections || []).map((section) => [
        h("h4", { text: section.title }),
        h("ul", null, section.items.map((item) => h("li", { text: item }))),
        (section.contacts || []).map(renderContact),
      ]),
    );
  }

  function renderQuickReplies(replies) {
    return h(
      "div",
      { class: "replies", role: "group", "aria-label": TEXT.replies },
      replies.map((reply) =>
        h("button", {
          type: "button",
          class: "reply",
          text: reply.title,
          onclick: () => {
            send(reply.payload, reply.title);
            input.focus();
          },
        }),
      ),
    );
  }

  function renderMessage(message) {
    const bot = message.from === "bot";
    return h(
      "li",
      { class: `message ${bot ? "bot" : "user"}` },
      h(
        "div",
        { class: "bubble" },
        srOnly(bot ? TEXT.bot : TEXT.you),
        message.text ? paragraphs(message.text, bot) : null,
        message.card ? renderCard(message.card) : null,
      ),
      bot && message.quick_replies && message.quick_replies.length
        ? renderQuickReplies(message.quick_replies)
        : null,
    );
  }

  /** Quick replies answer the question they came with: once the person has spoken, they go quiet. */
  function retireQuickReplies() {
    for (const button of log.querySelectorAll(".reply")) button.disabled = true;
  }

  let answerStart = null; // the first message of the bot's latest answer

  /** Follow the conversation, but never scroll the start of a long answer (a card) out of view. */
  function scrollToAnswer() {
    const bottom = scroller.scrollHeight - scroller.clientHeight;
    scroller.scrollTop = answerStart ? Math.min(bottom, answerStart.offsetTop - 8) : bottom;
  }

  function show(message, live) {
    if (message.from === "user") retireQuickReplies();
    const item = renderMessage(message);
    log.append(item);
    if (message.from === "user") answerStart = null;
    else answerStart = answerStart || item;
    if (live && message.from === "bot") {
      announcer.append(h("p", { text: item.innerText }));
      while (announcer.childElementCount > 3) announcer.firstElementChild.remove();
    }
    scrollToAnswer();
  }

  function addMessage(message) {
    state.messages.push(message);
    saveState();
    show(message, true);
  }

  function restoreMessages() {
    log.replaceChildren();
    answerStart = null;
    announcer.replaceChildren();
    state.messages.forEach((m) => show(m, false));
  }

  let notice = null; // what the person did last (« effacée »), shown until they write again

  /** Connection troubles first; without any, the last notice. */
  function setStatus(text) {
    status.textContent = text || notice || "";
  }

  // ---------------------------------------------------------------- connection

  let socket = null;
  let ready = false; // the server confirmed our session on the current connection
  let outbox = []; // messages waiting for a confirmed session
  let awaiting = 0; // answers the bot has not finished yet
  let replyTimer = null;
  let erasure = null; // {stage: "asked" | "confirmed", confirmable: bool} while erasing

  function updateTyping() {
    const waiting = awaiting > 0 || outbox.length > 0;
    typing.hidden = !waiting || !ready;
    clearTimeout(replyTimer);
    if (waiting && ready) {
      replyTimer = setTimeout(() => {
        awaiting = 0;
        typing.hidden = true;
        setStatus(TEXT.noReply);
        abandonErasure();
      }, REPLY_TIMEOUT_MS);
    }
    if (!typing.hidden) scrollToAnswer();
  }

  function flush() {
    if (!ready) return;
    while (outbox.length) {
      socket.emit("user_uttered", {
        message: outbox.shift(),
        session_id: state.sessionId,
        metadata: { page_url: location.href },
      });
      awaiting += 1;
    }
    updateTyping();
  }

  function deliver(text) {
    outbox.push(text);
    connect();
    flush();
  }

  function send(text, shown) {
    if (erasure) return;
    notice = null;
    if (ready) setStatus(null);
    addMessage({ from: "user", text: shown || text });
    deliver(text);
  }

  function onSessionConfirm(sessionId) {
    state.sessionId = sessionId;
    ready = true;
    setStatus(null);
    if (!state.started && state.messages.length === 0) {
      state.started = true;
      if (script.dataset.startMessage !== "") outbox.unshift(script.dataset.startMessage || "/greet");
    }
    saveState();
    flush();
  }

  function onBotMessage(data) {
    if (!data || typeof data !== "object") return;
    if (erasure) {
      // The bot asks « Voulez-vous vraiment effacer… ? »: the widget already asked.
      erasure.confirmable ||= (data.quick_replies || []).some((r) => r && r.payload === "/affirm");
      return;
    }
    const message = { from: "bot" };
    if (typeof data.text === "string") message.text = data.text;
    if (data.card && typeof data.card === "object") message.card = data.card;
    if (Array.isArray(data.quick_replies)) {
      message.quick_replies = data.quick_replies.filter(
        (r) => r && typeof r.title === "string" && typeof r.payload === "string",
      );
    }
    if (message.text || message.card) addMessage(message);
  }

  function onTurnComplete() {
    awaiting = Math.max(0, awaiting - 1);
    updateTyping();
    if (!erasure || awaiting > 0) return;
    if (erasure.stage === "asked" && erasure.confirmable) {
      erasure.stage = "confirmed";
      deliver("/affirm");
    } else if (erasure.stage === "confirmed") {
      erasure = null;
      startAfresh(TEXT.erased);
    } else {
      abandonErasure();
    }
  }

  /** The bot did not confirm the erasure: say so, and let the person go on. */
  function abandonErasure() {
    if (!erasure) return;
    erasure = null;
    setStatus(TEXT.eraseFailed);
  }

  async function connect() {
    if (socket) return;
    socket = "connecting";
    setStatus(navigator.onLine === false ? TEXT.offline : TEXT.connecting);
    let io;
    try {
      ({ io } = await import(`${ASSETS}socket.io.esm.min.js`));
    } catch (_) {
      socket = null;
      setStatus(TEXT.unavailable);
      return;
    }
    socket = io(BOT_ORIGIN, {
      path: "/socket.io",
      transports: ["websocket", "polling"],
      tryAllTransports: true,
      reconnectionDelayMax: 10000,
    });
    socket.on("connect", () => socket.emit("session_request", { session_id: state.sessionId }));
    socket.on("session_confirm", onSessionConfirm);
    socket.on("bot_uttered", onBotMessage);
    socket.on("turn_complete", onTurnComplete);
    socket.on("disconnect", () => {
      ready = false;
      awaiting = 0;
      updateTyping();
      setStatus(navigator.onLine === false ? TEXT.offline : TEXT.reconnecting);
      abandonErasure();
    });
    socket.on("connect_error", () => {
      ready = false;
      setStatus(navigator.onLine === false ? TEXT.offline : TEXT.unavailable);
    });
  }

  window.addEventListener("offline", () => setStatus(TEXT.offline));
  window.addEventListener("online", () => {
    if (ready) setStatus(null);
  });

  // ---------------------------------------------------------------- conversation controls

  /** A fresh session: nothing of the old one is kept on this device. */
  function startAfresh(text) {
    state = { ...emptyState(), open: state.open };
    saveState();
    outbox = [];
    awaiting = 0;
    ready = false;
    restoreMessages();
    updateTyping();
    if (socket && socket.connected) socket.emit("session_request", { session_id: null });
    else connect();
    notice = text;
    setStatus(null);
    input.focus();
  }

  function askErase() {
    eraseBox.hidden = false;
    eraseNo.focus();
  }

  function closeErase(focus) {
    eraseBox.hidden = true;
    focus.focus();
  }

  function erase() {
    eraseBox.hidden = true;
    erasure = { stage: "asked", confirmable: false };
    deliver("/delete_data");
    input.focus();
  }

  // ---------------------------------------------------------------- opening and closing

  function open(moveFocus) {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    host.classList.add("open");
    state.open = true;
    saveState();
    connect();
    if (moveFocus) input.focus();
    scrollToAnswer();
  }

  function close() {
    panel.hidden = true;
    eraseBox.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    host.classList.remove("open");
    state.open = false;
    saveState();
    launcher.focus();
  }

  launcher.addEventListener("click", () => (panel.hidden ? open(true) : close()));
  closeButton.addEventListener("click", close);
  resetButton.addEventListener("click", () => startAfresh(TEXT.newConversation));
  eraseButton.addEventListener("click", askErase);
  eraseNo.addEventListener("click", () => closeErase(eraseButton));
  eraseYes.addEventListener("click", erase);
  panel.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    if (!eraseBox.hidden) closeErase(eraseButton);
    else close();
  });

  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    updateHint();
    send(text);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });

  function updateHint() {
    const left = MAX_CHARS - input.value.length;
    hint.textContent = left <= 100 ? `${TEXT.remaining(left)} ${TEXT.hint}` : TEXT.hint;
  }
  input.addEventListener("input", updateHint);

  // ---------------------------------------------------------------- colour contrast

  /** Black or white, whichever reads better on the host's colour (WCAG contrast ratio). */
  function readableOn(hex) {
    const full = hex.length === 4 ? hex.replace(/[0-9a-f]/gi, (c) => c + c) : hex;
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = parseInt(full.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    return (1.05 / (luminance + 0.05)) >= ((luminance + 0.05) / 0.05) ? "#ffffff" : "#000000";
  }

  // ---------------------------------------------------------------- start

  restoreMessages();
  document.body.append(host);
  if (state.open) open(false);
})();
