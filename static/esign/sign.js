// Signing through NCALayer, the NCA's program on the signer's computer.
// The page gives the URLs and the texts (in its language) as data attributes; this
// script fetches the exact PDF bytes, asks NCALayer for a detached CMS with a
// timestamp, and posts it. The server verifies everything: nothing here is trusted.
(function () {
  "use strict";
  const root = document.getElementById("esign-signer");
  if (!root) return;
  const button = root.querySelector("[data-esign-start]");
  const status = root.querySelector("[data-esign-status]");
  const d = root.dataset;

  function say(text, kind) {
    status.className = "alert alert-" + (kind || "info");
    status.textContent = text;
    status.hidden = false;
  }

  function base64(buffer) {
    const bytes = new Uint8Array(buffer);
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(binary);
  }

  async function sign() {
    button.disabled = true;
    say(d.textConnecting);
    const client = new window.NCALayerClient(d.ncalayerUrl, false);
    try {
      await client.connect();
    } catch (err) {
      say(d.textNotRunning, "warning");
      button.disabled = false;
      return;
    }
    let cms;
    try {
      const pdf = await fetch(d.pdfUrl, { credentials: "same-origin" });
      if (!pdf.ok) throw new Error("pdf " + pdf.status);
      say(d.textChooseKey);
      const signer = { extKeyUsageOids: ["1.3.6.1.5.5.7.3.4"] };
      if (d.iin) signer.iin = d.iin;
      if (d.bin) signer.bin = d.bin;
      cms = await client.basicsSignCMS(
        window.NCALayerClient.basicsStorageAll,
        base64(await pdf.arrayBuffer()),
        window.NCALayerClient.basicsCMSParamsDetached,
        signer,
        d.locale
      );
    } catch (err) {
      say(err && err.canceledByUser ? d.textCancelled : d.textError, "warning");
      button.disabled = false;
      return;
    }
    say(d.textVerifying);
    const body = new FormData();
    body.append("cms", Array.isArray(cms) ? cms[0] : cms);
    const response = await fetch(d.submitUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": d.csrf },
    });
    let result = {};
    try {
      result = await response.json();
    } catch (err) {
      result = { ok: false, message: d.textError };
    }
    if (result.ok) {
      window.location.assign(result.redirect);
      return;
    }
    say(result.message || d.textError, "danger");
    button.disabled = false;
  }

  button.addEventListener("click", sign);
})();
