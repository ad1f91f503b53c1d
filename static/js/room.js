// The live discussion room. Every event carries a per-session seq; this page applies them strictly in order,
// holds back anything that arrives early, and asks for a replay (join with the last seq it applied) when a
// gap does not close by itself. Messages typed while offline stay in an outbox and are resent on reconnect
// with the same client_id, which the server stores only once. All text is set with textContent (no HTML).
// The assistant's answer in the making (message_partial, no seq) stays at the bottom of the stream, typing,
// until the stored answer (a message with its target_seq) takes its place.
(function () {
  "use strict";
  const root = document.getElementById("room");
  if (!root) return;
  const sessionId = Number(root.dataset.sessionId);
  const me = root.dataset.username;
  const isFacilitator = root.dataset.facilitator === "true";
  const editWindowMs = Number(root.dataset.editWindow) * 1000;
  const $ = (id) => document.getElementById(id);
  // The page's texts in the reader's language (templates/chat/room.html); "{name}" is filled from values.
  const TEXTS = JSON.parse($("room-texts").textContent);
  const ROLE_LABELS = TEXTS.roles;
  const t = (key, values) => TEXTS[key].replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
  const stream = $("stream");

  let lastSeq = 0;                 // highest seq applied, all before it applied too
  const early = new Map();         // seq -> event that arrived before its predecessors
  const outbox = new Map();        // client_id -> message payload not yet confirmed
  let gapTimer = null;
  let handRaised = false;
  let currentPhase = root.dataset.phase || "";
  let assistantOn = root.dataset.assistant !== "off";
  const answered = new Set();      // seqs of questions whose stored answer was applied

  const socket = io({path: "/socket.io", auth: {session_id: sessionId}});

  function newClientId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  function setConnection(text) { $("connection").textContent = text; }
  function showError(text) { $("room-error").textContent = text || ""; }

  function join() {
    socket.emit("join", {session_id: sessionId, last_seq: lastSeq}, (ack) => {
      if (!ack || !ack.ok) return;
      setConnection(t("connected"));
      for (const payload of outbox.values()) socket.emit("message", payload, onMessageAck(payload.client_id));
    });
  }

  function onMessageAck(clientId) {
    return (ack) => { if (ack && !ack.ok && ack.code !== "server_error") outbox.delete(clientId); };
  }

  socket.on("connect", () => { setConnection(t("updating")); join(); });
  socket.on("disconnect", () => setConnection(t("disconnected")));
  socket.on("connect_error", (err) => {
    setConnection(t("offline"));
    if (err && err.data && err.data.detail) showError(err.data.detail);
  });
  socket.on("error", (err) => showError(err && err.detail));
  socket.on("presence", (data) => { if (data.session_id === sessionId) renderPresence(data.participants); });
  socket.on("phase", (data) => { if (data.session_id === sessionId) renderPhase(data); });
  socket.on("report", (data) => { if (data.session_id === sessionId) renderReport(data); });
  socket.on("message", receive);
  socket.on("message_partial", renderPartial);

  function receive(event) {
    if (event.session_id !== sessionId || event.seq <= lastSeq || early.has(event.seq)) return;
    early.set(event.seq, event);
    while (early.has(lastSeq + 1)) {
      const next = early.get(lastSeq + 1);
      early.delete(lastSeq + 1);
      lastSeq = next.seq;
      apply(next);
    }
    if (early.size && !gapTimer) {
      gapTimer = setTimeout(() => { gapTimer = null; if (early.size && socket.connected) join(); }, 1500);
    }
  }

  // ---- rendering ------------------------------------------------------------------------------

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function meta(event) {
    const time = new Date(event.ts).toLocaleTimeString(document.documentElement.lang === "en" ? "en-GB" : "nl-NL", {hour: "2-digit", minute: "2-digit"});
    return el("span", "meta", `${event.author} (${ROLE_LABELS[event.role] || event.role}) · ${time}`);
  }

  function apply(event) {
    if (event.client_id) outbox.delete(event.client_id);
    const handlers = {message: renderMessage, edit: applyEdit, hide: applyHide, phase: renderPhaseEvent,
                      status: renderStatus, assistant: renderAssistantEvent};
    (handlers[event.kind] || renderEvent)(event);
    stream.querySelectorAll("li.partial").forEach((item) => stream.append(item));  // typing stays last
    stream.scrollTop = stream.scrollHeight;
  }

  // An answer being written: shown at once as typing, its text replaced by each longer version.
  function renderPartial(data) {
    if (data.session_id !== sessionId) return;
    const id = "p-" + data.target_seq;
    let item = $(id);
    if (data.done || answered.has(data.target_seq)) {
      if (item) item.remove();
      return;
    }
    if (!item) {
      item = el("li", "msg assistant partial");
      item.id = id;
      item.append(el("span", "meta", `${data.author} · ${t("answer_to", {seq: data.target_seq})}`),
                  el("span", "text answer"), el("small", "muted typing", t("typing")));
      item.setAttribute("aria-busy", "true");
    }
    item.querySelector(".text").textContent = data.text;
    stream.append(item);
    stream.scrollTop = stream.scrollHeight;
  }

  function renderMessage(event) {
    if (event.role === "assistant") return renderAnswer(event);
    const item = el("li", "msg");
    item.id = "m-" + event.seq;
    item.dataset.seq = event.seq;
    item.dataset.username = event.username;
    item.append(meta(event), el("span", "text", event.text));
    if (event.edited) item.append(el("small", "muted edited", " " + t("edited")));
    if (event.hidden) markHidden(item);
    item.append(tools(event));
    stream.append(item);
  }

  // The assistant's answer: plain text (kept with its line breaks), links to the cases it cites, its notice,
  // and for a draft bottleneck a button that copies the draft into the bottleneck form for a person to check.
  function renderAnswer(event) {
    if (event.target_seq) {
      answered.add(event.target_seq);
      const partial = $("p-" + event.target_seq);
      if (partial) partial.remove();
    }
    const item = el("li", "msg assistant");
    item.id = "m-" + event.seq;
    item.dataset.seq = event.seq;
    const data = event.data || {};
    const about = event.target_seq ? ` · ${t("answer_to", {seq: event.target_seq})}` : "";
    item.append(meta(Object.assign({}, event, {author: event.author || t("assistant")})));
    item.lastChild.textContent += about;
    item.append(el("span", "text answer", event.text));
    if (data.citations && data.citations.length) {
      const list = el("ol", "citations");
      for (const c of data.citations) {
        const link = el("a", "", c.title || t("case", {id: c.case_id}));
        link.href = "/cases/" + Number(c.case_id);
        const li = el("li");
        li.append(link);
        list.append(li);
      }
      item.append(list);
    }
    if (data.notice) item.append(el("small", "muted notice", data.notice));
    if (data.draft) item.append(button(t("use_draft"), "use-draft", () => useDraft(data.draft)));
    if (event.hidden) markHidden(item);
    stream.append(item);
  }

  function useDraft(draft) {
    const form = $("bottleneck-form");
    for (const name of ["law", "rule", "kind", "level", "description", "delay_days", "workaround"]) {
      const field = form.elements[name];
      if (field && draft[name] !== undefined && draft[name] !== null) field.value = draft[name];
    }
    form.elements.law.focus();
    showError(t("check_draft"));
  }

  function renderAssistantState(on) {
    assistantOn = on;
    $("assistant-off").hidden = on;
    document.querySelectorAll("#assistant-asks button").forEach((node) => { node.disabled = !on; });
    const box = $("assistant-switch");
    if (box) box.checked = on;
  }

  function tools(event) {
    const box = el("span", "tools");
    const mine = event.username === me;
    if (mine && Date.now() - Date.parse(event.ts) < editWindowMs) {
      box.append(button(t("edit"), "edit", () => startEdit(event.seq)));
    }
    if (!mine) box.append(button(t("report"), "report", () => {
      socket.emit("report", {session_id: sessionId, seq: event.seq}, (ack) => {
        if (ack && ack.ok) showError(t("reported"));
      });
    }));
    if (isFacilitator) box.append(button(t("hide"), "hide", () => hide(event.seq)));
    return box;
  }

  function button(label, className, onClick) {
    const node = el("button", "link " + className, label);
    node.type = "button";
    node.addEventListener("click", onClick);
    return node;
  }

  function startEdit(seq) {
    const item = $("m-" + seq);
    if (!item || item.querySelector("form")) return;
    const form = el("form", "inline edit-form");
    const input = el("input");
    input.name = "text";
    input.value = item.querySelector(".text").textContent;
    form.append(input, el("button", "", t("save")));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      socket.emit("edit", {session_id: sessionId, seq: seq, text: input.value}, (ack) => {
        if (ack && ack.ok) form.remove();
      });
    });
    item.append(form);
    input.focus();
  }

  function hide(seq) {
    socket.emit("hide", {session_id: sessionId, seq: seq});
  }

  function applyEdit(event) {
    const item = $("m-" + event.target_seq);
    if (item) {
      item.querySelector(".text").textContent = event.text;
      if (!item.querySelector(".edited")) item.querySelector(".text").after(el("small", "muted edited", " " + t("edited")));
    }
    const note = el("li", "event edit-note");
    note.dataset.seq = event.seq;
    note.append(meta(event), el("span", "text", t("edited_message", {seq: event.target_seq})));
    stream.append(note);
  }

  function markHidden(item) {
    item.classList.add("hidden-msg");
    item.querySelector(".text").textContent = t("hidden");
  }

  function applyHide(event) {
    const item = $("m-" + event.target_seq);
    if (item) markHidden(item);
    const report = $("report-" + event.target_seq);
    if (report) report.remove();
  }

  function renderEvent(event) {
    const item = el("li", "event " + event.kind);
    item.dataset.seq = event.seq;
    item.append(meta(event), el("span", "text", event.text));
    stream.append(item);
  }

  function renderAssistantEvent(event) {
    renderEvent(event);
    renderAssistantState(Boolean(event.data && event.data.enabled));
  }

  function renderPhaseEvent(event) {
    renderEvent(Object.assign({}, event, {text: t("new_phase", {phase: event.text})}));
    renderPhase(Object.assign({session_id: sessionId}, event.data));
  }

  function renderStatus(event) {
    renderEvent(event);
    if (event.data && event.data.status === "closed") {
      $("status").textContent = t("closed");
      $("composer").querySelectorAll("textarea, button").forEach((node) => { node.disabled = true; });
      const link = el("a", "button primary", t(isFacilitator ? "view_draft" : "to_transcript"));
      link.href = `/sessions/${sessionId}/transcript`;
      $("composer").append(link);
    }
  }

  function renderPhase(data) {
    $("phase-name").textContent = data.name || data.phase;
    $("phase-prompt").textContent = data.prompt || "";
    $("status").textContent = $("status").textContent === t("closed") ? t("closed") : t("live");
    currentPhase = data.phase;
    const select = $("phase-select");
    if (select) select.value = data.phase;
  }

  function renderPresence(participants) {
    const list = $("presence");
    list.replaceChildren(...participants.map((p) => el("li", "", `${p.display_name} · ${ROLE_LABELS[p.role] || p.role}`)));
  }

  function renderReport(data) {
    const list = $("reports");
    if (!list || $("report-" + data.seq)) return;
    const none = list.querySelector(".none");
    if (none) none.remove();
    const item = el("li", "", t("reported_by", {seq: data.seq, reporter: data.reporter}) + " ");
    item.id = "report-" + data.seq;
    item.append(button(t("hide"), "hide", () => hide(data.seq)));
    list.append(item);
  }

  // ---- sending --------------------------------------------------------------------------------

  function send(eventName, payload, form) {
    socket.emit(eventName, payload, (ack) => {
      if (ack && ack.ok) { showError(""); if (form) form.reset(); }
    });
  }

  function say(text) {
    const payload = {session_id: sessionId, text: text, client_id: newClientId()};
    outbox.set(payload.client_id, payload);
    if (socket.connected) socket.emit("message", payload, onMessageAck(payload.client_id));
    showError("");
  }

  $("composer").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = $("composer-text").value.trim();
    if (!text) return;
    say(text);
    $("composer-text").value = "";
  });
  document.querySelectorAll("#assistant-asks button").forEach((node) => {
    node.addEventListener("click", () => { if (assistantOn) say("@assistent " + node.dataset.ask); });
  });
  renderAssistantState(assistantOn);
  $("composer-text").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); $("composer").requestSubmit(); }
  });

  $("hand").addEventListener("click", () => {
    handRaised = !handRaised;
    socket.emit("hand", {session_id: sessionId, raised: handRaised});
    $("hand").textContent = t(handRaised ? "lower_hand" : "raise_hand");
  });

  function formPayload(form) {
    const payload = {session_id: sessionId};
    for (const [key, value] of new FormData(form).entries()) payload[key] = value === "" ? null : value;
    return payload;
  }

  $("bottleneck-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const payload = formPayload(e.target);
    for (const key of ["rule", "description", "workaround"]) payload[key] = payload[key] || "";
    payload.delay_days = payload.delay_days === null ? null : Number(payload.delay_days);
    payload.client_id = newClientId();
    send("flag_bottleneck", payload, e.target);
  });
  $("agreement-form").addEventListener("submit", (e) => {
    e.preventDefault();
    send("agreement", Object.assign(formPayload(e.target), {client_id: newClientId()}), e.target);
  });
  $("domain-form").addEventListener("submit", (e) => {
    e.preventDefault();
    send("domain", formPayload(e.target));
  });

  if (isFacilitator) {
    const select = $("phase-select");
    $("phase-go").addEventListener("click", () => send("phase", {session_id: sessionId, phase: select.value}));
    $("phase-next").addEventListener("click", () => {
      const next = currentPhase ? Math.min(select.selectedIndex + 1, select.options.length - 1) : 0;
      send("phase", {session_id: sessionId, phase: select.options[next].value});
    });
    $("assistant-switch").addEventListener("change", (e) => {
      send("assistant", {session_id: sessionId, enabled: e.target.checked});
    });
    $("close-session").addEventListener("click", () => {
      if (window.confirm(t("confirm_close"))) send("close", {session_id: sessionId});
    });
  }
})();
