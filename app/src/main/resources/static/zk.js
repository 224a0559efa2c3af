// Todoke zero-knowledge downloads (docs/zero-knowledge.md). Served by Todoke itself; no dependencies.
// The link's fragment (#k=...) holds the link secret: it never reaches the server. This script keeps it in
// this tab's sessionStorage across the passcode step, unwraps the message's data key with it, and
// decrypts each file segment by segment (AES-256-GCM, WebCrypto) while checking its SHA-256.
"use strict";
(function () {
  var TOKEN = location.pathname.split("/")[2] || "";
  var STORE = "todoke-zk:" + TOKEN;
  var MEMORY_LIMIT = 1024 * 1024 * 1024; // without the File System Access API the file is held as a Blob
  var enc = new TextEncoder();

  if (location.hash.indexOf("#k=") === 0) {
    sessionStorage.setItem(STORE, location.hash.substring(3));
    history.replaceState(null, "", location.pathname + location.search);
  }

  function b64url(text) {
    var s = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4));
    var out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }

  function concat(a, b) {
    var out = new Uint8Array(a.length + b.length);
    out.set(a, 0);
    out.set(b, a.length);
    return out;
  }

  function hkdf(ikm, salt, info, usage) {
    return crypto.subtle.importKey("raw", ikm, "HKDF", false, ["deriveKey"]).then(function (base) {
      return crypto.subtle.deriveKey({name: "HKDF", hash: "SHA-256", salt: salt, info: info}, base,
          {name: "AES-GCM", length: 256}, usage === "raw", ["decrypt"]);
    });
  }

  // The data key: AES-GCM(HKDF(link secret, "", "todoke zero-knowledge key wrap v1")) over nonce | sealed key.
  function dataKey(secret, wrapped) {
    return hkdf(secret, new Uint8Array(0), enc.encode("todoke zero-knowledge key wrap v1")).then(function (k) {
      return crypto.subtle.decrypt({name: "AES-GCM", iv: wrapped.subarray(0, 12), additionalData: enc.encode("TDKZ1")},
          k, wrapped.subarray(12));
    }).then(function (raw) { return new Uint8Array(raw); });
  }

  // Streaming SHA-256 (WebCrypto hashes only whole buffers).
  function Sha256() {
    this.h = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
    this.block = new Uint8Array(64);
    this.used = 0;
    this.bytes = 0;
    this.w = new Int32Array(64);
  }
  var K = new Int32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
    0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
    0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
    0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2]);
  Sha256.prototype.compress = function (p, off) {
    var w = this.w, h = this.h, i, t1, t2;
    for (i = 0; i < 16; i++) {
      w[i] = (p[off + 4 * i] << 24) | (p[off + 4 * i + 1] << 16) | (p[off + 4 * i + 2] << 8) | p[off + 4 * i + 3];
    }
    for (i = 16; i < 64; i++) {
      var a = w[i - 15], b = w[i - 2];
      var s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      var s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    var A = h[0], B = h[1], C = h[2], D = h[3], E = h[4], F = h[5], G = h[6], H = h[7];
    for (i = 0; i < 64; i++) {
      t1 = (H + (((E >>> 6) | (E << 26)) ^ ((E >>> 11) | (E << 21)) ^ ((E >>> 25) | (E << 7)))
          + ((E & F) ^ (~E & G)) + K[i] + w[i]) | 0;
      t2 = ((((A >>> 2) | (A << 30)) ^ ((A >>> 13) | (A << 19)) ^ ((A >>> 22) | (A << 10)))
          + ((A & B) ^ (A & C) ^ (B & C))) | 0;
      H = G; G = F; F = E; E = (D + t1) | 0; D = C; C = B; B = A; A = (t1 + t2) | 0;
    }
    h[0] += A; h[1] += B; h[2] += C; h[3] += D; h[4] += E; h[5] += F; h[6] += G; h[7] += H;
  };
  Sha256.prototype.update = function (data) {
    var i = 0, n = data.length;
    this.bytes += n;
    if (this.used > 0) {
      while (i < n && this.used < 64) this.block[this.used++] = data[i++];
      if (this.used < 64) return;
      this.compress(this.block, 0);
      this.used = 0;
    }
    for (; i + 64 <= n; i += 64) this.compress(data, i);
    while (i < n) this.block[this.used++] = data[i++];
  };
  Sha256.prototype.hex = function () {
    var bits = this.bytes * 8, pad = new Uint8Array(((this.used < 56 ? 56 : 120) - this.used) + 8);
    pad[0] = 0x80;
    var hi = Math.floor(bits / 4294967296), lo = bits >>> 0, e = pad.length;
    pad[e - 8] = hi >>> 24; pad[e - 7] = hi >>> 16; pad[e - 6] = hi >>> 8; pad[e - 5] = hi;
    pad[e - 4] = lo >>> 24; pad[e - 3] = lo >>> 16; pad[e - 2] = lo >>> 8; pad[e - 1] = lo;
    this.update(pad);
    var out = "";
    for (var i = 0; i < 8; i++) out += ("00000000" + (this.h[i] >>> 0).toString(16)).slice(-8);
    return out;
  };

  // Where the plaintext goes: a file on disk as it is decrypted (File System Access API), else a Blob.
  function sink(name, size) {
    if (window.showSaveFilePicker) {
      return window.showSaveFilePicker({suggestedName: name}).then(function (handle) {
        return handle.createWritable();
      }).then(function (file) {
        return {write: function (b) { return file.write(b); }, done: function () { return file.close(); },
          abort: function () { return file.abort(); }};
      });
    }
    if (size > MEMORY_LIMIT) return Promise.reject(new Error("tooLarge"));
    var parts = [];
    return Promise.resolve({
      write: function (b) { parts.push(b); return Promise.resolve(); },
      done: function () {
        var url = URL.createObjectURL(new Blob(parts, {type: "application/octet-stream"}));
        var a = document.createElement("a");
        a.href = url;
        a.download = name;
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
        parts = [];
        return Promise.resolve();
      },
      abort: function () { parts = []; return Promise.resolve(); }
    });
  }

  // Decrypts one file's ciphertext stream (layout: docs/zero-knowledge.md) into the sink, hashing as it goes.
  function decryptFile(body, key, consume) {
    var reader = body.getReader(), buf = new Uint8Array(0), header = null, segKey, prefix, segSize, index = 0;
    function segment(bytes, last) {
      var nonce = new Uint8Array(12);
      nonce.set(prefix, 0);
      new DataView(nonce.buffer).setUint32(7, index++);
      nonce[11] = last ? 1 : 0;
      return crypto.subtle.decrypt({name: "AES-GCM", iv: nonce}, segKey, bytes).then(function (plain) {
        return consume(new Uint8Array(plain));
      });
    }
    function drain(ended) {
      var p = Promise.resolve();
      if (header === null) {
        if (buf.length < 49) {
          if (ended) throw new Error("failed");
          return p;
        }
        var h = buf.subarray(0, 9);
        if (String.fromCharCode(h[0], h[1], h[2], h[3]) !== "TDKZ" || h[4] !== 1 || buf[9] !== 40) {
          throw new Error("failed");
        }
        segSize = new DataView(h.buffer, h.byteOffset).getUint32(5);
        prefix = buf.slice(42, 49);
        header = h.slice();
        p = hkdf(key, buf.slice(10, 42), header).then(function (k) { segKey = k; });
        buf = buf.slice(49);
      }
      return p.then(function next() {
        var want = index === 0 ? segSize - 40 : segSize;
        if (buf.length > want) {
          var seg = buf.slice(0, want);
          buf = buf.subarray(want);
          return segment(seg, false).then(next);
        }
        if (ended) {
          if (buf.length < 16) throw new Error("failed");
          var lastSeg = buf;
          buf = new Uint8Array(0);
          return segment(lastSeg, true);
        }
      });
    }
    function pump() {
      return reader.read().then(function (r) {
        if (r.done) return drain(true);
        buf = buf.length === 0 ? r.value : concat(buf, r.value);
        return drain(false).then(pump);
      });
    }
    return pump();
  }

  var main = document.getElementById("zk");
  if (!main) return;
  var status = document.getElementById("zk-status");
  function say(row, key) {
    var text = main.dataset[key] || key;
    if (row) {
      row.textContent = text;
      row.dataset.state = key;
    } else {
      status.textContent = text;
      status.hidden = false;
    }
  }

  // Fetches the link's wrapped key once and unwraps it with the secret from the fragment.
  var keyPromise = null;
  function linkKey() {
    var secretText = sessionStorage.getItem(STORE);
    if (!secretText) return Promise.reject(new Error("nokey"));
    if (!keyPromise) {
      keyPromise = fetch("/api/v1/d/" + TOKEN + "/key", {credentials: "same-origin"}).then(function (r) {
        if (!r.ok) throw new Error("failed");
        return r.json();
      }).then(function (k) {
        return dataKey(b64url(secretText), b64url(k.wrappedKey));
      });
      keyPromise.catch(function () { keyPromise = null; });
    }
    return keyPromise;
  }

  // Decrypts one file into consume(plaintext), checking its SHA-256 against the listed one.
  function decrypted(d, consume) {
    var hash = new Sha256();
    return linkKey().then(function (key) {
      return fetch("/api/v1/d/" + TOKEN + "/files/" + encodeURIComponent(d.id), {credentials: "same-origin"})
          .then(function (r) {
            if (!r.ok) throw new Error("failed");
            return decryptFile(r.body, key, function (p) {
              hash.update(p);
              return consume(p);
            });
          });
    }).then(function () {
      if (hash.hex() !== d.sha256) throw new Error("mismatch");
    });
  }

  function failure(e) {
    var m = e && e.message;
    return m === "mismatch" || m === "tooLarge" || m === "nokey" ? m : "failed";
  }

  function download(button) {
    var result = button.parentNode.querySelector(".zk-result"), d = button.dataset, out = null;
    button.disabled = true;
    say(result, "working");
    return sink(d.name, Number(d.size)).then(function (s) {
      out = s;
      return decrypted(d, function (p) { return out.write(p); });
    }).then(function () {
      return out.done().then(function () { say(result, "done"); });
    }).catch(function (e) {
      say(result, failure(e));
      if (out) out.abort();
    }).then(function () { button.disabled = false; });
  }

  // CRC-32 for the ZIP entries.
  var CRC = new Int32Array(256);
  for (var n = 0; n < 256; n++) {
    var c = n;
    for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    CRC[n] = c;
  }
  function crc32(crc, p) {
    crc = ~crc;
    for (var i = 0; i < p.length; i++) crc = CRC[(crc ^ p[i]) & 0xff] ^ (crc >>> 8);
    return ~crc >>> 0;
  }

  // All files as one ZIP (stored, UTF-8 names, data descriptors), written as each file is decrypted.
  function downloadAll(buttons, allButton) {
    var files = buttons.map(function (b) { return b.dataset; }), out = null, offset = 0, central = [], used = {};
    var total = files.reduce(function (t, d) { return t + Number(d.size) + 100; }, 0);
    var now = new Date(), time = (now.getHours() << 11) | (now.getMinutes() << 5) | (now.getSeconds() >> 1);
    var date = ((now.getFullYear() - 1980) << 9) | ((now.getMonth() + 1) << 5) | now.getDate();
    function bytes(fields) {
      var size = fields.reduce(function (t, f) { return t + (f[1] === 0 ? f[0].length : f[1]); }, 0);
      var b = new Uint8Array(size), v = new DataView(b.buffer), at = 0;
      fields.forEach(function (f) {
        if (f[1] === 0) b.set(f[0], at); else if (f[1] === 2) v.setUint16(at, f[0], true); else v.setUint32(at, f[0], true);
        at += f[1] === 0 ? f[0].length : f[1];
      });
      return b;
    }
    function write(b) { offset += b.length; return out.write(b); }
    function unique(name) {
      var base = name.replace(/^.*[\\/]/, "") || "file", dot = base.lastIndexOf("."), candidate = base;
      for (var i = 2; used[candidate.toLowerCase()]; i++) {
        candidate = dot > 0 ? base.substring(0, dot) + " (" + i + ")" + base.substring(dot) : base + " (" + i + ")";
      }
      used[candidate.toLowerCase()] = true;
      return candidate;
    }
    allButton.disabled = true;
    say(null, "working");
    if (total >= 4294967295) return Promise.reject(new Error("tooLarge"));
    return sink("todoke-files.zip", total).then(function (s) {
      out = s;
      return files.reduce(function (p, d) {
        return p.then(function () {
          var name = enc.encode(unique(d.name)), start = offset, crc = 0, size = 0;
          return write(bytes([[0x04034b50, 4], [20, 2], [0x0808, 2], [0, 2], [time, 2], [date, 2], [0, 4], [0, 4],
            [0, 4], [name.length, 2], [0, 2], [name, 0]])).then(function () {
            return decrypted(d, function (plain) {
              crc = crc32(crc, plain);
              size += plain.length;
              return write(plain);
            });
          }).then(function () {
            central.push(bytes([[0x02014b50, 4], [20, 2], [20, 2], [0x0808, 2], [0, 2], [time, 2], [date, 2], [crc, 4],
              [size, 4], [size, 4], [name.length, 2], [0, 2], [0, 2], [0, 2], [0, 2], [0, 4], [start, 4], [name, 0]]));
            return write(bytes([[0x08074b50, 4], [crc, 4], [size, 4], [size, 4]]));
          });
        });
      }, Promise.resolve());
    }).then(function () {
      var start = offset, length = central.reduce(function (t, c) { return t + c.length; }, 0);
      return central.reduce(function (p, c) { return p.then(function () { return write(c); }); }, Promise.resolve())
          .then(function () {
            return write(bytes([[0x06054b50, 4], [0, 2], [0, 2], [central.length, 2], [central.length, 2], [length, 4],
              [start, 4], [0, 2]]));
          });
    }).then(function () {
      return out.done().then(function () { say(null, "done"); });
    }).catch(function (e) {
      say(null, failure(e));
      if (out) out.abort();
    }).then(function () { allButton.disabled = false; });
  }

  var buttons = Array.prototype.slice.call(document.querySelectorAll(".zk-file"));
  buttons.forEach(function (b) {
    b.addEventListener("click", function () { download(b); });
  });
  var all = document.getElementById("zk-all");
  if (all) {
    all.addEventListener("click", function () { downloadAll(buttons, all); });
  }
})();
